package cardterm.bridge.ecl;

import java.util.Objects;

/** One answer line from the printer: {@link Ok}, {@link Err} or a {@link Data} line of an {@code R..} command. */
public sealed interface EclResponse permits EclResponse.Ok, EclResponse.Err, EclResponse.Data {

    /** {@code OK}. */
    record Ok() implements EclResponse {
        public static final Ok INSTANCE = new Ok();

        @Override
        public String toString() {
            return "OK";
        }
    }

    /** {@code ERR;<code>;<text>}; {@code wireCode} is the code as sent (differs from {@code code.name()} only for UNRECOGNIZED). */
    record Err(EclErrorCode code, String wireCode, String text) implements EclResponse {
        public Err {
            Objects.requireNonNull(code, "code");
            wireCode = wireCode == null ? code.name() : wireCode;
            text = text == null ? "" : text;
        }

        public static Err of(EclErrorCode code, String text) {
            return new Err(code, code.name(), text);
        }

        @Override
        public String toString() {
            return "ERR;" + wireCode + ";" + text;
        }
    }

    /** Any other well-formed line: the answer of a read command, e.g. {@code READY;} or {@code ribbon=K;left=10;...}. */
    record Data(String line) implements EclResponse {
        public Data {
            Objects.requireNonNull(line, "line");
        }

        @Override
        public String toString() {
            return line;
        }
    }

    /** Classifies one line (without its CR) that is already known to be printable ASCII. */
    static EclResponse parse(String line) {
        if (line.equals("OK")) {
            return Ok.INSTANCE;
        }
        if (line.startsWith("ERR;")) {
            int second = line.indexOf(';', 4);
            String code = second < 0 ? line.substring(4) : line.substring(4, second);
            String text = second < 0 ? "" : line.substring(second + 1);
            return new Err(EclErrorCode.ofWire(code), code, text);
        }
        return new Data(line);
    }
}
