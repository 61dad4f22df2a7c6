package cardterm.terminal.sim;

import cardterm.devices.chip.ChipProfile.ChipFile;
import cardterm.devices.chip.sim.CardFaults;
import cardterm.devices.chip.sim.SimulatedCard;
import cardterm.devices.chip.sim.SimulatedReaderPair;
import cardterm.devices.printer.RibbonType;
import cardterm.devices.printer.sim.EclPrinterModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated world's physical state on the work directory, so a simulated terminal started
 * again on it finds its printer and encoder as it left them (as a real one would after a power
 * cut): one small text file, {@value #FILE}, holding the printer's {@link EclPrinterModel.State}
 * and the encoder's {@link SimulatedReaderPair.State}, {@code key=value} lines ending with a CRC-32
 * of the lines before.
 *
 * <p>Crash-safe: every save writes the whole file to {@value #FILE}{@code .tmp}, forces it to disk,
 * renames it over the file (atomic) and forces the directory, so the file is always one complete
 * save; a temp file left by a kill mid-write is ignored (and deleted) on load. A file whose
 * checksum or contents do not hold is reported and not used (the world starts as new).
 */
public final class SimWorldStore {
    private static final Logger log = LoggerFactory.getLogger(SimWorldStore.class);
    /** The file's name in the work directory. */
    public static final String FILE = "sim-world.state";
    private static final String TMP = FILE + ".tmp";
    private static final String HEADER = "# cardterm simulate: the simulated printer and encoder (written whole, atomically)";
    private static final HexFormat HEX = HexFormat.of();

    private final Path dir;
    private EclPrinterModel.State printer; // guarded by this
    private SimulatedReaderPair.State encoder; // guarded by this
    private boolean failing; // guarded by this

    /** What a load found: either part may be missing (a new world), {@code problem} says why none was usable. */
    public record Loaded(Optional<EclPrinterModel.State> printer, Optional<SimulatedReaderPair.State> encoder,
                         Optional<String> problem) {
    }

    private SimWorldStore(Path dir, Loaded loaded) {
        this.dir = dir;
        this.printer = loaded.printer().orElse(null);
        this.encoder = loaded.encoder().orElse(null);
    }

    /** A store on {@code dir}, starting from what is saved there (nothing saved: empty). */
    public static SimWorldStore open(Path dir) {
        return new SimWorldStore(dir, load(dir));
    }

    /** Reads what is saved in {@code dir}; a leftover temp file is deleted, a damaged file reported. */
    public static Loaded load(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(TMP)); // a save cut short: the file still holds the last whole one
        } catch (IOException e) {
            log.debug("could not delete {}: {}", dir.resolve(TMP), e.toString());
        }
        String text;
        try {
            text = Files.readString(dir.resolve(FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Loaded(Optional.empty(), Optional.empty(), Optional.empty());
        } catch (IOException e) {
            return unusable(dir, "cannot be read: " + e.getMessage());
        }
        int last = text.lastIndexOf("crc32=");
        if (last < 0 || !text.endsWith("\n")) {
            return unusable(dir, "has no checksum line (cut short?)");
        }
        String body = text.substring(0, last);
        String crc = text.substring(last + 6).strip();
        if (!crc.equals(crc(body))) {
            return unusable(dir, "fails its checksum");
        }
        Map<String, String> kv = new TreeMap<>();
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                return unusable(dir, "has a line that is not key=value");
            }
            kv.put(line.substring(0, eq), line.substring(eq + 1));
        }
        try {
            Optional<EclPrinterModel.State> p = kv.containsKey("printer.feeder")
                    ? Optional.of(printerFrom(kv)) : Optional.empty();
            Optional<SimulatedReaderPair.State> e = kv.containsKey("encoder.nextSerial")
                    ? Optional.of(encoderFrom(kv)) : Optional.empty();
            return new Loaded(p, e, Optional.empty());
        } catch (RuntimeException e) {
            return unusable(dir, "holds a value out of place: " + e.getMessage());
        }
    }

    /**
     * Powers {@code model} and {@code readers} up as saved (nothing saved: as they are), makes them
     * agree (a card at the printer's contact station is the one in the encoder: a blank one from
     * the stock if a kill came between the two saves; no card in the station, none in the
     * encoder), then saves every change of either from now on. Returns a line saying what was
     * found, when something was saved.
     */
    public Optional<String> attach(EclPrinterModel model, SimulatedReaderPair readers) {
        EclPrinterModel.State savedPrinter;
        SimulatedReaderPair.State savedEncoder;
        synchronized (this) {
            savedPrinter = printer;
            savedEncoder = encoder;
        }
        if (savedPrinter != null) {
            model.restore(savedPrinter);
        }
        if (savedEncoder != null) {
            readers.restore(savedEncoder);
        }
        if (model.cardInStation() && readers.cardInEncoder().isEmpty()) {
            readers.insertBlankCard();
        } else if (!model.cardInStation() && readers.cardInEncoder().isPresent()) {
            readers.removeCard();
        }
        model.persistTo(this::savePrinter);
        readers.persistTo(this::saveEncoder);
        if (savedPrinter == null && savedEncoder == null) {
            return Optional.empty();
        }
        return Optional.of(describe(model.state(), readers.state()));
    }

    /** One line: the printer's supplies, boxes and card, the encoder's card. */
    public static String describe(EclPrinterModel.State p, SimulatedReaderPair.State e) {
        String card = !p.cardInside() ? "no card inside"
                : "a " + (p.cardPrinted() ? "printed" : "blank") + " card inside"
                        + (p.cardInStation() ? " at the contact station" : " in the transport");
        SimulatedCard.Snapshot c = e.cardInEncoder();
        String chip = c == null ? "encoder empty"
                : "encoder holds card " + HEX.formatHex(c.identificationCode()).substring(24) + " ("
                        + (c.issued() ? "issued" : c.writes() + " writes") + ")";
        return "feeder " + p.feeder() + ", " + card + ", reject box " + p.rejectBox() + ", output tray " + p.hopper()
                + ", ribbon " + p.ribbon() + (p.ribbonLoaded() ? " " + p.ribbonLeft() + " left" : " out")
                + (p.coverOpen() ? ", cover open" : "") + (p.jam() ? ", jam" : "") + "; " + chip;
    }

    private static Loaded unusable(Path dir, String why) {
        String problem = dir.resolve(FILE) + " " + why + "; the simulated world starts as new";
        log.warn(problem);
        return new Loaded(Optional.empty(), Optional.empty(), Optional.of(problem));
    }

    /** Saves the printer's state (with the encoder's last), whole and atomically. */
    public synchronized void savePrinter(EclPrinterModel.State state) {
        printer = Objects.requireNonNull(state, "state");
        write();
    }

    /** Saves the encoder's state (with the printer's last), whole and atomically. */
    public synchronized void saveEncoder(SimulatedReaderPair.State state) {
        encoder = Objects.requireNonNull(state, "state");
        write();
    }

    private void write() {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        Map<String, String> kv = new TreeMap<>();
        if (printer != null) {
            printerTo(printer, kv);
        }
        if (encoder != null) {
            encoderTo(encoder, kv);
        }
        kv.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        String body = b.toString();
        byte[] bytes = (body + "crc32=" + crc(body) + "\n").getBytes(StandardCharsets.UTF_8);
        Path tmp = dir.resolve(TMP);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
            if (failing) {
                failing = false;
                log.info("simulated world saved again in {}", dir.resolve(FILE));
            }
        } catch (IOException e) {
            if (!failing) { // said once until it works again
                failing = true;
                log.warn("could not save the simulated world in {}: {}", dir.resolve(FILE), e.toString());
            }
        }
    }

    private static String crc(String body) {
        CRC32 c = new CRC32();
        c.update(body.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", c.getValue());
    }

    // ---------------------------------------------------------------- the printer

    static void printerTo(EclPrinterModel.State s, Map<String, String> kv) {
        kv.put("printer.feeder", Integer.toString(s.feeder()));
        kv.put("printer.ribbon", s.ribbon().name());
        kv.put("printer.ribbonLoaded", Boolean.toString(s.ribbonLoaded()));
        kv.put("printer.ribbonLeft", Integer.toString(s.ribbonLeft()));
        kv.put("printer.coverOpen", Boolean.toString(s.coverOpen()));
        kv.put("printer.jam", Boolean.toString(s.jam()));
        kv.put("printer.jamNeedsPerson", Boolean.toString(s.jamNeedsPerson()));
        kv.put("printer.jamClearing", Boolean.toString(s.jamClearing()));
        kv.put("printer.rejectBox", Integer.toString(s.rejectBox()));
        kv.put("printer.outputTray", Integer.toString(s.hopper()));
        kv.put("printer.cleaningDue", Boolean.toString(s.cleaningDue()));
        kv.put("printer.printed", Long.toString(s.printed()));
        kv.put("printer.rejected", Long.toString(s.rejected()));
        kv.put("printer.cardInside", Boolean.toString(s.cardInside()));
        kv.put("printer.cardInStation", Boolean.toString(s.cardInStation()));
        kv.put("printer.cardPrinted", Boolean.toString(s.cardPrinted()));
        kv.put("printer.motion", s.motion());
        kv.put("printer.motionSides", Integer.toString(s.motionSides()));
    }

    static EclPrinterModel.State printerFrom(Map<String, String> kv) {
        return new EclPrinterModel.State(integer(kv, "printer.feeder"),
                RibbonType.valueOf(text(kv, "printer.ribbon")), bool(kv, "printer.ribbonLoaded"),
                integer(kv, "printer.ribbonLeft"), bool(kv, "printer.coverOpen"), bool(kv, "printer.jam"),
                bool(kv, "printer.jamNeedsPerson"), bool(kv, "printer.jamClearing"), integer(kv, "printer.rejectBox"),
                integer(kv, "printer.outputTray"), bool(kv, "printer.cleaningDue"), number(kv, "printer.printed"),
                number(kv, "printer.rejected"), bool(kv, "printer.cardInside"), bool(kv, "printer.cardInStation"),
                bool(kv, "printer.cardPrinted"), text(kv, "printer.motion"), integer(kv, "printer.motionSides"));
    }

    // ---------------------------------------------------------------- the encoder and its card

    static void encoderTo(SimulatedReaderPair.State s, Map<String, String> kv) {
        kv.put("encoder.nextSerial", Long.toString(s.nextSerial()));
        kv.put("encoder.blanksUsed", Integer.toString(s.blanksUsed()));
        faultsTo("encoder.nextFaults", s.nextFaults(), kv);
        SimulatedCard.Snapshot c = s.cardInEncoder();
        kv.put("encoder.card", Boolean.toString(c != null));
        if (c == null) {
            return;
        }
        kv.put("encoder.card.id", HEX.formatHex(c.identificationCode()));
        kv.put("encoder.card.issued", Boolean.toString(c.issued())); // for a reader of the file; derived
        kv.put("encoder.card.triesLeft", Integer.toString(c.triesLeft()));
        kv.put("encoder.card.writes", Integer.toString(c.writes()));
        faultsTo("encoder.card.faults", c.faults(), kv);
        c.records().forEach((file, recs) -> recs.forEach((n, v) ->
                kv.put("encoder.card.record." + file.name() + "." + n, HEX.formatHex(v))));
    }

    static SimulatedReaderPair.State encoderFrom(Map<String, String> kv) {
        SimulatedCard.Snapshot card = null;
        if (bool(kv, "encoder.card")) {
            Map<ChipFile, Map<Integer, byte[]>> records = new EnumMap<>(ChipFile.class);
            String prefix = "encoder.card.record.";
            kv.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    String[] fileAndNumber = k.substring(prefix.length()).split("\\.");
                    if (fileAndNumber.length != 2) {
                        throw new IllegalArgumentException(k);
                    }
                    records.computeIfAbsent(ChipFile.valueOf(fileAndNumber[0]), f -> new TreeMap<>())
                            .put(Integer.parseInt(fileAndNumber[1]), HEX.parseHex(v));
                }
            });
            card = new SimulatedCard.Snapshot(HEX.parseHex(text(kv, "encoder.card.id")),
                    faultsFrom("encoder.card.faults", kv), records, integer(kv, "encoder.card.triesLeft"),
                    integer(kv, "encoder.card.writes"));
        }
        return new SimulatedReaderPair.State(number(kv, "encoder.nextSerial"), integer(kv, "encoder.blanksUsed"),
                faultsFrom("encoder.nextFaults", kv), card);
    }

    private static void faultsTo(String key, CardFaults f, Map<String, String> kv) {
        kv.put(key, f.alreadyIssued() + "," + f.noTransitApp() + "," + f.noSsseApp() + "," + f.failWrite() + ","
                + f.corruptWrite() + "," + f.removeOnWrite() + "," + f.shortChallenge() + "," + f.t0());
    }

    private static CardFaults faultsFrom(String key, Map<String, String> kv) {
        String[] v = text(kv, key).split(",", -1);
        if (v.length != 8) {
            throw new IllegalArgumentException(key + " needs 8 values");
        }
        return new CardFaults(strictBool(key, v[0]), strictBool(key, v[1]), strictBool(key, v[2]),
                Integer.parseInt(v[3]), Integer.parseInt(v[4]), Integer.parseInt(v[5]), strictBool(key, v[6]),
                strictBool(key, v[7]));
    }

    private static String text(Map<String, String> kv, String key) {
        String v = kv.get(key);
        if (v == null) {
            throw new IllegalArgumentException(key + " is missing");
        }
        return v;
    }

    private static int integer(Map<String, String> kv, String key) {
        return Integer.parseInt(text(kv, key));
    }

    private static long number(Map<String, String> kv, String key) {
        return Long.parseLong(text(kv, key));
    }

    private static boolean bool(Map<String, String> kv, String key) {
        return strictBool(key, text(kv, key));
    }

    private static boolean strictBool(String key, String v) {
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + ": not true or false: " + v);
        };
    }
}
