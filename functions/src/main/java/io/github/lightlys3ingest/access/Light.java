package io.github.lightlys3ingest.access;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Objects;

/**
 * One check of {@code verify}: a permission or property, whether it holds, and why not.
 *
 * @param subject  what was checked: {@code input}, {@code output}, {@code role} or {@code Lightly}
 * @param check    the permission or property, such as {@code List} or {@code Max session duration}
 * @param state    the outcome
 * @param detail   for a red or yellow light the reason; for a green one what was seen, or null
 */
public record Light(String subject, String check, State state, String detail) {

    /** Outcome of a check. */
    public enum State {
        /** Checked and granted. */
        GREEN,
        /** Not checked, with the reason (nothing to read, an earlier step failed). */
        YELLOW,
        /** Checked and refused or wrong: the set-up will not work (the command fails). */
        RED;

        @JsonValue
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Light {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(state, "state");
    }

    static Light green(String subject, String check, String detail) {
        return new Light(subject, check, State.GREEN, detail);
    }

    static Light yellow(String subject, String check, String reason) {
        return new Light(subject, check, State.YELLOW, reason);
    }

    static Light red(String subject, String check, String reason) {
        return new Light(subject, check, State.RED, reason);
    }
}
