package cardterm.bridge.ecl;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One host command, {@code ESC name ;arg... CR}. Validated where made: the name is letters and
 * digits starting with a letter, arguments are printable ASCII without {@code ;}, and the encoded
 * line fits the 256-byte line limit.
 */
public record EclCommand(String name, List<String> args) {
    public static final EclCommand RFV = of("Rfv");
    public static final EclCommand RSN = of("Rsn");
    public static final EclCommand RST = of("Rst");
    public static final EclCommand RSP = of("Rsp");
    public static final EclCommand PEM_HOST = of("Pem", "2");
    public static final EclCommand SIC = of("Sic");
    public static final EclCommand SS = of("Ss");
    public static final EclCommand SE = of("Se");
    public static final EclCommand EO = of("Eo");
    public static final EclCommand ER = of("Er");

    /** Read commands that change nothing: safe to send again after a timeout. */
    public static final Set<String> IDEMPOTENT = Set.of("Rfv", "Rsn", "Rst", "Rsp");
    /** Commands that move a card and answer only when the mechanical step is done. */
    public static final Set<String> MECHANICAL = Set.of("Sic", "Ss", "Se", "Eo", "Er");
    /** The one command followed by raw data. */
    public static final String DOWNLOAD = "Db";

    public EclCommand {
        Objects.requireNonNull(name, "name");
        args = List.copyOf(args);
        if (name.isEmpty() || name.length() > 16 || !Character.isLetter(name.charAt(0))
                || !name.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))) {
            throw new IllegalArgumentException("bad command name: " + name);
        }
        int length = 2 + name.length();
        for (String a : args) {
            Objects.requireNonNull(a, "argument");
            if (!a.chars().allMatch(c -> c >= 0x20 && c <= 0x7e && c != ';')) {
                throw new IllegalArgumentException("bad argument for " + name + ": " + a);
            }
            length += 1 + a.length();
        }
        if (length > EclCodec.MAX_LINE) {
            throw new IllegalArgumentException(name + " line is " + length + " bytes, over " + EclCodec.MAX_LINE);
        }
    }

    public static EclCommand of(String name, String... args) {
        return new EclCommand(name, List.of(args));
    }

    /** {@code Db;<panel>;<side>;<bytes>}. */
    public static EclCommand download(String panel, String side, int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative byte count " + bytes);
        }
        return of(DOWNLOAD, panel, side, Integer.toString(bytes));
    }

    public boolean isIdempotent() {
        return IDEMPOTENT.contains(name);
    }

    public boolean isMechanical() {
        return MECHANICAL.contains(name);
    }

    public boolean isDownload() {
        return DOWNLOAD.equals(name);
    }

    /** The wire bytes: ESC, name, {@code ;arg}s, CR. */
    public byte[] encode() {
        return EclCodec.encode(this);
    }

    /** As written in traces, without ESC and CR: {@code Db;k;front;82296}. */
    @Override
    public String toString() {
        return args.isEmpty() ? name : name + ";" + String.join(";", args);
    }
}
