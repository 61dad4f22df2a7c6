package cardterm.terminal.issuance;

import cardterm.devices.check.Problems;
import cardterm.devices.chip.ChipData;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an issuance job (the {@code issue} args of hub-contract.md) from a Jackson tree and checks
 * it whole: types, required fields, unknown fields (a misspelt {@code transitConcession} must not
 * silently grant), the ID number's check character and date, gender and birth date against the
 * ID number, the name's GBK length, the card number's form, real dates, expiry after issue, the
 * photo's base64 and image type. Every problem goes to {@link Problems} under its field path
 * ({@code citizen.idNumber}); the job is returned only if there was none. Messages never quote the
 * ID number or the name.
 */
public final class IssuanceJobParser {
    /** Job ids: letters, digits and {@code . _ : -}, up to 64. */
    public static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** Staff ids, as in the configuration. */
    public static final Pattern STAFF_ID = Pattern.compile("[A-Za-z0-9-]{1,32}");
    /** Largest photo accepted, decoded. */
    public static final int MAX_PHOTO_BYTES = 2 * 1024 * 1024;

    private static final Set<String> TOP = Set.of("jobId", "staffId", "citizen", "card", "photo", "transitConcession");
    private static final Set<String> CITIZEN = Set.of("idNumber", "name", "gender", "ethnicity");
    private static final Set<String> CARD = Set.of("cardNumber", "issueDate", "expiryDate");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private IssuanceJobParser() {
    }

    /** Parses JSON text (a job file); a syntax error is one problem. */
    public static Optional<IssuanceJob> parse(String json, Problems problems) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            problems.add("", e.getLocation() == null ? "not valid JSON"
                    : "not valid JSON (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
            return Optional.empty();
        }
        return parse(node, problems);
    }

    /** Checks a job tree; adds every problem to {@code problems}; the job only if there was none. */
    public static Optional<IssuanceJob> parse(JsonNode node, Problems problems) {
        Problems p = new Problems();
        if (node == null || !node.isObject()) {
            problems.add("", "must be a JSON object");
            return Optional.empty();
        }
        unknown(node, TOP, "", p);
        Set<String> typeBad = new HashSet<>();

        String jobId = text(node, "jobId", "jobId", true, p, typeBad);
        if (jobId != null && !JOB_ID.matcher(jobId).matches()) {
            p.add("jobId", "must be 1-64 letters, digits or . _ : -");
        }
        String staffId = text(node, "staffId", "staffId", true, p, typeBad);
        if (staffId != null && !STAFF_ID.matcher(staffId).matches()) {
            p.add("staffId", "must be 1-32 letters, digits or -");
        }

        JsonNode citizen = object(node, "citizen", p);
        String idNumber = null;
        String name = null;
        String gender = null;
        Integer ethnicity = null;
        if (citizen != null) {
            unknown(citizen, CITIZEN, "citizen", p);
            idNumber = text(citizen, "idNumber", ChipData.F_ID, true, p, typeBad);
            name = text(citizen, "name", ChipData.F_NAME, true, p, typeBad);
            gender = text(citizen, "gender", ChipData.F_GENDER, true, p, typeBad);
            JsonNode e = citizen.get("ethnicity");
            if (e == null || e.isNull()) {
                p.add(ChipData.F_ETHNICITY, "missing");
                typeBad.add(ChipData.F_ETHNICITY);
            } else if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                p.add(ChipData.F_ETHNICITY, "must be a whole number 1..56 (GB 3304)");
                typeBad.add(ChipData.F_ETHNICITY);
            } else {
                ethnicity = e.intValue();
            }
        } else {
            typeBad.addAll(List.of(ChipData.F_ID, ChipData.F_NAME, ChipData.F_GENDER, ChipData.F_ETHNICITY));
        }

        JsonNode card = object(node, "card", p);
        String cardNumber = null;
        LocalDate issueDate = null;
        LocalDate expiryDate = null;
        if (card != null) {
            unknown(card, CARD, "card", p);
            cardNumber = text(card, "cardNumber", ChipData.F_CARD_NUMBER, true, p, typeBad);
            issueDate = date(card, "issueDate", ChipData.F_ISSUE_DATE, p, typeBad);
            expiryDate = date(card, "expiryDate", ChipData.F_EXPIRY_DATE, p, typeBad);
        } else {
            typeBad.addAll(List.of(ChipData.F_CARD_NUMBER, ChipData.F_ISSUE_DATE, ChipData.F_EXPIRY_DATE));
        }

        Optional<IssuanceJob.Photo> photo = photo(node.get("photo"), p);

        Optional<Boolean> concession = Optional.empty();
        JsonNode tc = node.get("transitConcession");
        if (tc != null && !tc.isNull()) {
            if (tc.isBoolean()) {
                concession = Optional.of(tc.booleanValue());
            } else {
                p.add("transitConcession", "must be true or false");
            }
        }

        // Everything about the citizen and the card, checked together by the chip data's own rules.
        Problems chip = new Problems();
        Optional<ChipData> data = ChipData.builder().idNumber(idNumber).name(name).gender(gender).ethnicity(ethnicity)
                .cardNumber(cardNumber).issueDate(issueDate).expiryDate(expiryDate).build(chip);
        for (Problems.Problem cp : chip.list()) {
            if (!typeBad.contains(cp.field())) {
                p.add(cp.field(), cp.message());
            }
        }
        problems.addAll(p);
        if (!p.isEmpty() || data.isEmpty()) {
            return Optional.empty();
        }
        ChipData d = data.get();
        return Optional.of(new IssuanceJob(jobId, staffId,
                new IssuanceJob.Citizen(d.residentId(), d.name(), d.gender(), d.ethnicity()),
                new IssuanceJob.Card(d.cardNumber(), d.issueDate(), d.expiryDate()),
                photo, concession));
    }

    /** Convenience for tests and tools: parse or throw {@link IllegalArgumentException} listing every problem. */
    public static IssuanceJob parseOrThrow(String json) {
        Problems p = new Problems();
        return parse(json, p).orElseThrow(() -> new IllegalArgumentException(p.toString()));
    }

    private static void unknown(JsonNode node, Set<String> known, String prefix, Problems p) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!known.contains(n)) {
                p.add(prefix.isEmpty() ? n : prefix + "." + n, "unknown field");
            }
        }
    }

    private static JsonNode object(JsonNode node, String field, Problems p) {
        JsonNode o = node.get(field);
        if (o == null || o.isNull()) {
            p.add(field, "missing");
            return null;
        }
        if (!o.isObject()) {
            p.add(field, "must be an object");
            return null;
        }
        return o;
    }

    private static String text(JsonNode node, String name, String path, boolean required, Problems p, Set<String> typeBad) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                p.add(path, "missing");
                typeBad.add(path);
            }
            return null;
        }
        if (!v.isTextual()) {
            p.add(path, "must be a string");
            typeBad.add(path);
            return null;
        }
        return v.textValue();
    }

    private static LocalDate date(JsonNode node, String name, String path, Problems p, Set<String> typeBad) {
        String s = text(node, name, path, true, p, typeBad);
        if (s == null) {
            return null;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            p.add(path, "must be a real date YYYY-MM-DD");
            typeBad.add(path);
            return null;
        }
    }

    private static Optional<IssuanceJob.Photo> photo(JsonNode v, Problems p) {
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            p.add("photo", "must be a base64 string");
            return Optional.empty();
        }
        String s = v.textValue();
        if (s.length() > (MAX_PHOTO_BYTES / 3 + 1) * 4 + 64) {
            p.add("photo", "is larger than " + MAX_PHOTO_BYTES / 1024 + " KiB");
            return Optional.empty();
        }
        byte[] b;
        try {
            b = Base64.getDecoder().decode(WHITESPACE.matcher(s).replaceAll(""));
        } catch (IllegalArgumentException e) {
            p.add("photo", "is not valid base64");
            return Optional.empty();
        }
        if (b.length > MAX_PHOTO_BYTES) {
            p.add("photo", "is larger than " + MAX_PHOTO_BYTES / 1024 + " KiB");
            return Optional.empty();
        }
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return Optional.of(new IssuanceJob.Photo(IssuanceJob.Photo.Format.JPEG, b));
        }
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
            return Optional.of(new IssuanceJob.Photo(IssuanceJob.Photo.Format.PNG, b));
        }
        p.add("photo", "must be a JPEG or PNG image");
        return Optional.empty();
    }
}
