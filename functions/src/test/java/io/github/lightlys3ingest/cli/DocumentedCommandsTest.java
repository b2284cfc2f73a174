package io.github.lightlys3ingest.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * Every {@code java -jar ... lightly-s3-ingest.jar <command> ...} shown in README.md and docs/*.md (in code
 * blocks, inline code or prose; {@code \} continuations joined) parses with the CLI's own picocli parser: no
 * unknown command, no unknown option, no missing value. Placeholders ({@code <your external id>}, {@code ID},
 * {@code $QUEUE}) may stand where a value goes; optional groups in {@code [...]} are checked as if given, and
 * of alternatives {@code a|b} the first. Pages added to docs/ later are picked up without changing this test.
 */
class DocumentedCommandsTest {

    private static final Pattern JAVA_JAR =
            Pattern.compile("java\\s+(?:-\\S+\\s+)*?-jar\\s+\\S*lightly-s3-ingest\\.jar");
    /** Where a shell command ends: end of inline code, pipe, redirect, list operator or comment. */
    private static final Pattern COMMAND_END = Pattern.compile("`|\\s\\|\\s|\\s\\d?>|&&|\\|\\||;|\\s#");
    private static final Pattern PLACEHOLDER_WORD = Pattern.compile("[A-Z][A-Z0-9_-]*(\\.\\.\\.|…)?");

    /** A documented command: where it is, and its arguments after the jar. */
    record Documented(Path file, int line, List<String> args) {
        String where() {
            return file.getFileName() + ":" + line;
        }
    }

    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))
                    && Files.isDirectory(dir.resolve("functions"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (README.md, docs/, functions/) above "
                + Path.of("").toAbsolutePath());
    }

    static List<Path> pages() throws IOException {
        Path root = repositoryRoot();
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The documented commands of one page, with {@code \} continuations joined onto their first line. */
    static List<Documented> commands(Path page) throws IOException {
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        List<Documented> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int first = i;
            StringBuilder logical = new StringBuilder(lines.get(i));
            while (logical.toString().stripTrailing().endsWith("\\") && i + 1 < lines.size()) {
                String joined = logical.toString().stripTrailing();
                logical.setLength(0);
                logical.append(joined, 0, joined.length() - 1).append(' ').append(lines.get(++i));
            }
            // In a Markdown table cell a literal '|' is written '\|'.
            String text = logical.toString().replace("\\|", "|");
            Matcher jar = JAVA_JAR.matcher(text);
            if (jar.find()) {
                String tail = text.substring(jar.end());
                Matcher end = COMMAND_END.matcher(tail);
                String command = end.find() ? tail.substring(0, end.start()) : tail;
                found.add(new Documented(page, first + 1, tokens(command)));
            }
        }
        return found;
    }

    /** Splits like a shell (quotes, {@code <placeholder with spaces>}), then resolves synopsis notation. */
    static List<String> tokens(String command) {
        List<String> raw = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        boolean inToken = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    token.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inToken = true;
            } else if (c == '<' && !inToken) {
                int close = command.indexOf('>', i);
                close = close < 0 ? command.length() - 1 : close;
                token.append(command, i, close + 1);
                i = close;
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    raw.add(token.toString());
                    token.setLength(0);
                    inToken = false;
                }
            } else {
                token.append(c);
                inToken = true;
            }
        }
        if (inToken) {
            raw.add(token.toString());
        }
        List<String> args = new ArrayList<>();
        for (String t : raw) {
            String arg = t.startsWith("[") ? t.substring(1) : t;
            if (count(arg, ']') > count(arg, '[')) {
                arg = arg.substring(0, arg.length() - 1);
            }
            if (arg.contains("|") && !arg.startsWith("<")) {
                arg = arg.substring(0, arg.indexOf('|'));
            }
            if (!arg.isEmpty() && !arg.equals("...") && !arg.equals("…")) {
                args.add(arg);
            }
        }
        return args;
    }

    private static long count(String text, char c) {
        return text.chars().filter(ch -> ch == c).count();
    }

    static boolean isPlaceholder(String value) {
        return value.startsWith("<") || value.startsWith("$") || PLACEHOLDER_WORD.matcher(value).matches();
    }

    /** Parses the arguments (never executes them); a command placeholder stands for every command. */
    static void assertParses(Documented documented) {
        List<String> args = documented.args();
        if (!args.isEmpty() && args.get(0).startsWith("<")) {
            for (String command : Main.commandLine(Surroundings.ofProcess()).getSubcommands().keySet()) {
                List<String> each = new ArrayList<>(args);
                each.set(0, command);
                assertParses(new Documented(documented.file(), documented.line(), each));
            }
            return;
        }
        CommandLine cli = Main.commandLine(Surroundings.ofProcess());
        List<String> resolved = withSampleValues(cli, args);
        try {
            cli.parseArgs(resolved.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            fail(documented.where() + ": `" + String.join(" ", args) + "` does not parse: " + e.getMessage());
        }
    }

    /**
     * Replaces a placeholder standing for a number or an enum (N, {@code <count>}) by a value of the option's
     * type, so that only real mistakes remain for the parser to find.
     */
    static List<String> withSampleValues(CommandLine cli, List<String> args) {
        List<String> resolved = new ArrayList<>(args);
        CommandLine command = args.isEmpty() ? null : cli.getSubcommands().get(args.get(0));
        if (command == null) {
            return resolved;
        }
        for (int i = 1; i + 1 < resolved.size(); i++) {
            CommandLine.Model.OptionSpec option = command.getCommandSpec().findOption(resolved.get(i));
            if (option != null && option.arity().max() > 0 && isPlaceholder(resolved.get(i + 1))) {
                resolved.set(i + 1, sampleValue(option.type(), resolved.get(i + 1)));
            }
        }
        return resolved;
    }

    private static String sampleValue(Class<?> type, String placeholder) {
        if (type.isEnum()) {
            return type.getEnumConstants()[0].toString();
        }
        boolean number = type == int.class || type == long.class || type == short.class || type == double.class
                || Number.class.isAssignableFrom(type);
        return number ? "1" : placeholder;
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedCommandParsesWithTheCli() throws IOException {
        List<Documented> all = new ArrayList<>();
        for (Path page : pages()) {
            all.addAll(commands(page));
        }
        assertTrue(all.size() >= 10, "found only " + all.size() + " documented commands: is the extraction broken?");
        assertTrue(all.stream().anyMatch(d -> d.file().getFileName().toString().equals("README.md")),
                "README.md shows the CLI");
        return all.stream().map(d -> DynamicTest.dynamicTest(d.where() + " " + String.join(" ", d.args()),
                () -> assertParses(d)));
    }

    @Test
    void extractionJoinsContinuationsAndStopsAtShellSyntax(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path page = dir.resolve("page.md");
        Files.writeString(page, String.join("\n",
                "Run `java -jar functions/target/lightly-s3-ingest.jar tag --lightly-dataset-id ID` daily.",
                "```",
                "$ LIGHTLY_TOKEN=... java -Xmx2g -jar functions/target/lightly-s3-ingest.jar backfill \\",
                "    --input s3://b/in/ --output s3://b/out/ --queue-url \"$QUEUE\" \\",
                "    [--max-objects N] [--dry-run] | tee log.txt   # comment",
                "java -jar functions/target/lightly-s3-ingest.jar configure-lightly --stack LightlyS3Ingest "
                        + "--external-id <your external id> --upload-mode thumbnails|metadata && echo done",
                "```"));
        List<Documented> found = commands(page);
        assertTrue(found.size() == 3, found.toString());
        assertTrue(found.get(0).args().equals(List.of("tag", "--lightly-dataset-id", "ID")), found.toString());
        assertTrue(found.get(1).line() == 3, found.toString());
        assertTrue(found.get(1).args().equals(List.of("backfill", "--input", "s3://b/in/", "--output", "s3://b/out/",
                "--queue-url", "$QUEUE", "--max-objects", "N", "--dry-run")), found.toString());
        assertTrue(found.get(2).args().equals(List.of("configure-lightly", "--stack", "LightlyS3Ingest",
                "--external-id", "<your external id>", "--upload-mode", "thumbnails")), found.toString());
        found.forEach(DocumentedCommandsTest::assertParses);
    }

    @Test
    void anUnknownOptionOrCommandFailsNamingTheFileAndLine() {
        Documented misspelt = new Documented(Path.of("docs/x.md"), 7,
                List.of("ingest", "--inptu", "a", "--output", "b"));
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> assertParses(misspelt));
        assertTrue(e.getMessage().startsWith("x.md:7: `ingest --inptu a --output b` does not parse"), e.getMessage());
        Documented unknown = new Documented(Path.of("README.md"), 3, List.of("ingets", "--input", "a"));
        assertThrows(unknown);
        Documented badNumber = new Documented(Path.of("README.md"), 4,
                List.of("backfill", "--input", "s3://b/p/", "--output", "s3://b/o/", "--threads", "many"));
        assertThrows(badNumber);
        assertFalse(isPlaceholder("many"));
    }

    private static void assertThrows(Documented documented) {
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> assertParses(documented),
                documented.args().toString());
    }
}
