package cardterm.devices.pcsc;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CardTerminals;
import javax.smartcardio.TerminalFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's link to pcscd. SunPCSC holds one PC/SC context per process, so this is one shared
 * object ({@link #shared()}): it hands out fresh {@link CardTerminals} (one per thread that waits
 * for changes), translates failures, notices when the context died with pcscd and re-establishes
 * it (see {@link ContextRecovery}) the next time anybody asks for terminals. {@link #generation()}
 * counts contexts, so holders of old {@code CardTerminals} know to fetch new ones.
 */
public final class PcscService {
    private static final Logger LOG = LoggerFactory.getLogger(PcscService.class);
    private static final PcscService SHARED = new PcscService();

    private final Object lock = new Object();
    private TerminalFactory factory; // guarded by lock
    private boolean contextLost; // guarded by lock
    private volatile long generation;
    private volatile ContextRecovery.Strategy strategy;

    private PcscService() {
        PcscLibrary.configure();
        strategy = ContextRecovery.available();
    }

    /** The one instance of this process. */
    public static PcscService shared() {
        return SHARED;
    }

    /** Increases each time a new PC/SC context is in use (first one: 1). */
    public long generation() {
        return generation;
    }

    /** How a dead context is recovered in this JVM: {@code REFLECTION}, {@code UNSAFE} or {@code NONE}. */
    public String recoveryStrategy() {
        return strategy.name();
    }

    /** For tests: force a recovery strategy. */
    void useStrategy(ContextRecovery.Strategy s) {
        this.strategy = s;
    }

    /**
     * A new {@link CardTerminals} on the current context; re-establishes the context first if it
     * died. Do not share one between threads that wait for changes.
     *
     * @throws PcscServiceException if pcscd does not answer
     */
    CardTerminals terminals() {
        synchronized (lock) {
            if (factory == null || contextLost) {
                if (contextLost) {
                    ContextRecovery.reestablish(strategy);
                }
                try {
                    factory = TerminalFactory.getInstance("PC/SC", null);
                } catch (NoSuchAlgorithmException | RuntimeException e) {
                    throw new PcscServiceException("PC/SC is not available (pcscd not running? libpcsclite missing?): "
                            + PcscErrors.codes(e), e);
                }
                if (contextLost) {
                    LOG.info("PC/SC context re-established after pcscd came back ({})", strategy);
                }
                contextLost = false;
                generation++;
            }
            return factory.terminals();
        }
    }

    /**
     * Whether PC/SC shows a card in the reader {@code readerName} now.
     *
     * @throws PcscServiceException if pcscd does not answer or the reader is unknown
     */
    public boolean isCardPresent(String readerName) {
        try {
            return terminals().getTerminal(readerName).isCardPresent();
        } catch (javax.smartcardio.CardException | RuntimeException e) {
            throw e instanceof PcscServiceException p ? p
                    : new PcscServiceException("cannot ask reader " + readerName + ": " + e, e);
        }
    }

    /**
     * Names of the readers PC/SC lists now (empty when there are none).
     *
     * @throws PcscServiceException if pcscd does not answer
     */
    public List<String> readerNames() {
        try {
            return names(terminals().list());
        } catch (CardException | RuntimeException e) {
            throw translate(e, "PC/SC");
        }
    }

    /** Reader names, best effort: empty if they cannot be listed. */
    public List<String> readerNamesOrEmpty() {
        try {
            return readerNames();
        } catch (SmartCardException e) {
            return List.of();
        }
    }

    static List<String> names(List<CardTerminal> terminals) {
        List<String> n = new ArrayList<>(terminals.size());
        for (CardTerminal t : terminals) {
            n.add(t.getName());
        }
        return n;
    }

    /** Records that the context died with pcscd; the next {@link #terminals()} re-establishes it. */
    public void contextLost() {
        synchronized (lock) {
            if (!contextLost) {
                LOG.warn(PcscdSocket.problem(PcscdSocket.path(), generation > 0, PcscLibrary.configure().isPresent()));
            }
            contextLost = true;
        }
    }

    /**
     * Translates a javax.smartcardio failure about {@code reader} into the typed errors; a failure
     * that means pcscd is gone also marks the context lost.
     */
    public SmartCardException translate(Throwable e, String reader) {
        if (e instanceof SmartCardException s) {
            if (s instanceof PcscServiceException) {
                contextLost();
            }
            return s;
        }
        return switch (PcscErrors.classify(e)) {
            case CARD_REMOVED -> new CardRemovedException(reader, PcscErrors.codes(e), e);
            case NO_CARD -> new NoCardException(reader);
            case READER_GONE -> new ReaderUnavailableException(reader, readerNamesQuietly(), e);
            case SERVICE_DOWN -> {
                contextLost();
                yield new PcscServiceException("pcscd does not answer (" + PcscErrors.codes(e) + ")", e);
            }
            case READER_BUSY -> new SmartCardException(reader + " is held by another process (" + PcscErrors.codes(e) + ")", e);
            case CARD_MUTE -> new CardProtocolException("card in " + reader + " does not answer (" + PcscErrors.codes(e) + ")");
            case OTHER -> new SmartCardException(reader + ": " + PcscErrors.codes(e), e);
        };
    }

    private List<String> readerNamesQuietly() {
        synchronized (lock) {
            if (factory == null || contextLost) {
                return List.of();
            }
        }
        try {
            return names(terminals().list());
        } catch (CardException | RuntimeException e) {
            return List.of();
        }
    }
}
