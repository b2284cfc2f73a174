package io.github.lightlys3ingest.moto;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension around {@link MotoServer#shared()}: resolves {@code MotoServer} parameters (of test
 * methods, lifecycle methods and constructors), resets the emulator before each test so tests do not
 * see each other's buckets and queues, and stops the server when the whole test run ends.
 */
public final class MotoExtension implements BeforeEachCallback, ParameterResolver {

    @Override
    public void beforeEach(ExtensionContext context) {
        server(context).reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MotoServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    private static MotoServer server(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.create(MotoExtension.class))
                .getOrComputeIfAbsent(Stopper.class, type -> new Stopper(), Stopper.class);
        return MotoServer.shared();
    }

    /** Closed by JUnit when the root context (the test run) ends. */
    private static final class Stopper implements AutoCloseable {
        @Override
        public void close() {
            MotoServer.stop();
        }
    }
}
