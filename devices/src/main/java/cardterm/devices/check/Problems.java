package cardterm.devices.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Collects every problem a check finds, so that one answer tells them all (one-time
 * notification). Each problem is a field path and a message for a person.
 */
public final class Problems {
    /** One problem: where ({@code citizen.idNumber}, {@code hub.uri}) and what is wrong. */
    public record Problem(String field, String message) {
        @Override
        public String toString() {
            return field == null || field.isEmpty() ? message : field + ": " + message;
        }
    }

    private final List<Problem> list = new ArrayList<>();

    /** No problems yet. */
    public Problems() {
    }

    public Problems add(String field, String message) {
        list.add(new Problem(field, message));
        return this;
    }

    public Problems addAll(Problems other) {
        list.addAll(other.list);
        return this;
    }

    /** Adds the other's problems with {@code prefix.} in front of their fields. */
    public Problems addAll(String prefix, Problems other) {
        for (Problem p : other.list) {
            String f = p.field() == null || p.field().isEmpty() ? prefix : prefix + "." + p.field();
            list.add(new Problem(f, p.message()));
        }
        return this;
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public int size() {
        return list.size();
    }

    public List<Problem> list() {
        return Collections.unmodifiableList(new ArrayList<>(list));
    }

    /** One line per problem. */
    public List<String> lines() {
        return list.stream().map(Problem::toString).toList();
    }

    @Override
    public String toString() {
        return String.join("; ", lines());
    }
}
