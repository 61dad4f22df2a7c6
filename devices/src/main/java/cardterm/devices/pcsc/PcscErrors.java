package cardterm.devices.pcsc;

import java.util.List;
import java.util.Locale;
import javax.smartcardio.CardNotPresentException;

/**
 * Sorts what javax.smartcardio throws into the few things the terminal acts on. The JDK wraps a
 * package-private {@code PCSCException} whose message is the PC/SC code name
 * ({@code SCARD_E_NO_SERVICE}); vpcd adds quirks measured in test-rig.md.
 */
final class PcscErrors {
    /** What a failure means to the terminal. */
    enum Kind {
        /** The card left (or was reset under us): the exchange is lost. */
        CARD_REMOVED,
        /** No card in the reader when connecting. */
        NO_CARD,
        /** The reader is not there. */
        READER_GONE,
        /** pcscd is down or the process's context died with it. */
        SERVICE_DOWN,
        /** Another process holds the reader exclusively. */
        READER_BUSY,
        /** The card does not answer. */
        CARD_MUTE,
        OTHER
    }

    private static final List<String> REMOVED = List.of(
            "SCARD_W_REMOVED_CARD", "SCARD_W_RESET_CARD", "SCARD_W_UNPOWERED_CARD",
            // measured with vpcd: the first transmits after a pull fail with this
            "SCARD_E_NOT_TRANSACTED");
    private static final List<String> READER = List.of(
            "SCARD_E_READER_UNAVAILABLE", "SCARD_E_UNKNOWN_READER", "SCARD_E_NO_READERS_AVAILABLE",
            "No terminals available");
    private static final List<String> SERVICE = List.of(
            "SCARD_E_NO_SERVICE", "SCARD_E_SERVICE_STOPPED", "SCARD_E_INVALID_HANDLE", "SCARD_F_COMM_ERROR");

    private PcscErrors() {
    }

    static Kind classify(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof CardNotPresentException) {
                return Kind.NO_CARD;
            }
            String m = c.getMessage() == null ? "" : c.getMessage();
            if (c instanceof IllegalArgumentException && m.contains("apdu must be at least 2 bytes long")) {
                return Kind.CARD_REMOVED; // vpcd, measured: empty response after the card was pulled
            }
            if (c instanceof IllegalStateException && m.toLowerCase(Locale.ROOT).contains("card has been removed")) {
                return Kind.CARD_REMOVED;
            }
            if (m.contains("SCARD_E_NO_SMARTCARD")) {
                return Kind.NO_CARD;
            }
            for (String s : SERVICE) {
                if (m.contains(s)) {
                    return Kind.SERVICE_DOWN;
                }
            }
            for (String s : REMOVED) {
                if (m.contains(s)) {
                    return Kind.CARD_REMOVED;
                }
            }
            for (String s : READER) {
                if (m.contains(s)) {
                    return Kind.READER_GONE;
                }
            }
            if (m.contains("SCARD_E_SHARING_VIOLATION") || m.contains("Exclusive access has already been assigned")) {
                return Kind.READER_BUSY;
            }
            if (m.contains("SCARD_W_UNRESPONSIVE_CARD") || m.contains("SCARD_E_TIMEOUT")) {
                return Kind.CARD_MUTE;
            }
        }
        return Kind.OTHER;
    }

    /** The PC/SC code names in a cause chain, for messages ({@code SCARD_E_NO_SERVICE}). */
    static String codes(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m != null) {
                java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("SCARD_[A-Z_]+").matcher(m);
                while (matcher.find()) {
                    if (sb.indexOf(matcher.group()) < 0) {
                        sb.append(sb.isEmpty() ? "" : ", ").append(matcher.group());
                    }
                }
            }
        }
        return sb.isEmpty() ? String.valueOf(t) : sb.toString();
    }
}
