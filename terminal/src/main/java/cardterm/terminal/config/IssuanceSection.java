package cardterm.terminal.config;

import cardterm.devices.chip.Concession;
import cardterm.terminal.config.ConfigReader.Section;
import cardterm.terminal.issuance.IssuancePolicy.Band;
import cardterm.terminal.issuance.IssuanceSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code issuance}: local policy, promised time and card font, into {@link IssuanceSettings}. */
final class IssuanceSection {
    private static final int MAX_AGE = 150;
    /** {@code issuance.concessions[].type} as written: a band grants a concession, never none. */
    private static final List<Concession.Type> TYPES = List.of(Concession.Type.DISCOUNT, Concession.Type.FREE);

    private IssuanceSection() {}

    static IssuanceSettings map(ConfigReader r, Section s) {
        if (!s.usable) {
            return null;
        }
        int mark = r.mark();
        IssuanceSettings d = IssuanceSettings.DEFAULT;
        Integer elderly = s.integer("elderlyAge", d.elderlyAge(), 0, MAX_AGE);
        List<Band> bands = concessions(r, s, d.concessions());
        Boolean byDefault = s.bool("concessionByDefault", d.concessionByDefault());
        Duration promised = s.duration("promisedDuration", d.promisedDuration(), Duration.ofSeconds(10),
                Duration.ofHours(4));
        // "bundled" (or absent): the font shipped in cardterm, the same card face on every terminal
        Path font = "bundled".equals(s.string("cardFont")) ? null : s.path("cardFont", false, null);
        if (font != null && Files.exists(font)) {
            // a font file not installed (yet) is no config problem: the terminal starts, its card face
            // reports it as health (cardface OFFLINE, what to install) and jobs are refused until then
            r.file(s.path("cardFont"), font);
        }
        return r.cleanSince(mark)
                ? new IssuanceSettings(elderly, bands, byDefault, promised, Optional.ofNullable(font)) : null;
    }

    private static List<Band> concessions(ConfigReader r, Section issuance, List<Band> defaults) {
        List<Section> items = issuance.items("concessions");
        if (items == null) {
            return issuance.valid("concessions") ? defaults : null;
        }
        int mark = r.mark();
        List<Band> out = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (Section c : items) {
            Integer from = c.integer("fromAge", null, 0, MAX_AGE);
            Integer to = c.present("toAge") ? c.integer("toAge", null, 0, MAX_AGE) : null;
            Concession.Type type = c.choice("type", TYPES, null);
            if (from != null && to != null && to < from) {
                r.problem(c.path("toAge"), "must not be below fromAge (" + from + ")");
                continue;
            }
            if (from == null || type == null || (to == null && c.present("toAge"))) {
                continue;
            }
            Band band = new Band(from, to == null ? OptionalInt.empty() : OptionalInt.of(to), type);
            for (int k = 0; k < out.size(); k++) {
                if (overlap(out.get(k), band)) {
                    r.problem(c.path, "ages " + describe(band) + " overlap " + paths.get(k) + " ("
                            + describe(out.get(k)) + ")");
                }
            }
            out.add(band);
            paths.add(c.path);
        }
        return r.cleanSince(mark) ? out : null;
    }

    private static boolean overlap(Band x, Band y) {
        int xTo = x.toAge().orElse(Integer.MAX_VALUE);
        int yTo = y.toAge().orElse(Integer.MAX_VALUE);
        return x.fromAge() <= yTo && y.fromAge() <= xTo;
    }

    private static String describe(Band b) {
        return b.fromAge() + (b.toAge().isPresent() ? "-" + b.toAge().getAsInt() : "+");
    }
}
