package cardterm.devices.pcsc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Prepares the JDK's PC/SC provider before its first use:
 * <ul>
 *   <li>{@code sun.security.smartcardio.library}: older JDKs look for libpcsclite only under
 *       {@code /usr/lib64} and {@code /usr/lib}; Debian and Raspberry Pi OS keep it at
 *       {@code /usr/lib/<arch>-linux-gnu/libpcsclite.so.1}. Set when unset and the file exists.</li>
 *   <li>{@code sun.security.smartcardio.t0GetResponse} / {@code t1GetResponse}: switched off when
 *       unset, so that {@link GetResponseChannel} is the one place that handles 61xx / 6Cxx (the
 *       JDK's own GET RESPONSE reuses the command's CLA, {@code 80 C0} after an {@code 80}
 *       command, which PSAMs refuse).</li>
 * </ul>
 * Both are read once by the JDK, so {@link #configure()} must run before any
 * {@code javax.smartcardio} class is used; {@link PcscService} calls it.
 */
public final class PcscLibrary {
    public static final String LIBRARY_PROPERTY = "sun.security.smartcardio.library";
    public static final String T0_GET_RESPONSE = "sun.security.smartcardio.t0GetResponse";
    public static final String T1_GET_RESPONSE = "sun.security.smartcardio.t1GetResponse";

    private static volatile boolean configured;

    private PcscLibrary() {
    }

    /** Sets the properties above once per process (idempotent); returns the library path in use, if known. */
    public static synchronized Optional<String> configure() {
        if (!configured) {
            if (System.getProperty(LIBRARY_PROPERTY) == null) {
                find(System.getProperty("os.arch", ""), p -> Files.isRegularFile(p))
                        .ifPresent(p -> System.setProperty(LIBRARY_PROPERTY, p.toString()));
            }
            if (System.getProperty(T0_GET_RESPONSE) == null) {
                System.setProperty(T0_GET_RESPONSE, "false");
            }
            if (System.getProperty(T1_GET_RESPONSE) == null) {
                System.setProperty(T1_GET_RESPONSE, "false");
            }
            configured = true;
        }
        return Optional.ofNullable(System.getProperty(LIBRARY_PROPERTY));
    }

    /** Where libpcsclite may be, most specific first, for a JVM {@code os.arch}. */
    public static List<Path> candidates(String osArch) {
        List<Path> list = new ArrayList<>();
        multiarchTriplet(osArch).ifPresent(t -> list.add(Path.of("/usr/lib", t, "libpcsclite.so.1")));
        list.add(Path.of("/usr/lib64/libpcsclite.so.1"));
        list.add(Path.of("/usr/lib/libpcsclite.so.1"));
        list.add(Path.of("/lib", multiarchTriplet(osArch).orElse("."), "libpcsclite.so.1").normalize());
        return List.copyOf(list);
    }

    /** The first candidate that {@code exists}. */
    public static Optional<Path> find(String osArch, Predicate<Path> exists) {
        return candidates(osArch).stream().filter(exists).findFirst();
    }

    /** Debian multiarch directory name for a JVM {@code os.arch}. */
    public static Optional<String> multiarchTriplet(String osArch) {
        return Optional.ofNullable(switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64", "arm64" -> "aarch64-linux-gnu";
            case "arm", "armv7l", "armhf" -> "arm-linux-gnueabihf";
            case "x86", "i386", "i486", "i586", "i686" -> "i386-linux-gnu";
            case "riscv64" -> "riscv64-linux-gnu";
            case "ppc64le" -> "powerpc64le-linux-gnu";
            case "s390x" -> "s390x-linux-gnu";
            default -> null;
        });
    }
}
