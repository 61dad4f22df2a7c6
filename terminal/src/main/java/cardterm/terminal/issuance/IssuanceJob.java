package cardterm.terminal.issuance;

import cardterm.devices.chip.ChipData;
import cardterm.devices.chip.Concession;
import cardterm.devices.citizen.CitizenName;
import cardterm.devices.citizen.Gender;
import cardterm.devices.citizen.ResidentId;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * An issuance job: the {@code issue} command's args of hub-contract.md, checked. Made by
 * {@link IssuanceJobParser}, which reports every problem of a bad job at once. Holds personal data:
 * {@link #toString()} shows only the job id, staff id and masked citizen.
 *
 * @param transitConcession {@code Optional.of(false)} opts out of the concession; empty means
 *     the default (eligible citizens get it)
 */
public record IssuanceJob(String jobId, String staffId, Citizen citizen, Card card, Optional<Photo> photo,
        Optional<Boolean> transitConcession) {

    public IssuanceJob {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(staffId, "staffId");
        Objects.requireNonNull(citizen, "citizen");
        Objects.requireNonNull(card, "card");
        photo = photo == null ? Optional.empty() : photo;
        transitConcession = transitConcession == null ? Optional.empty() : transitConcession;
    }

    /** {@code citizen}: whom the card is for. */
    public record Citizen(ResidentId idNumber, CitizenName name, Gender gender, int ethnicity) {
        public Citizen {
            Objects.requireNonNull(idNumber, "idNumber");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(gender, "gender");
        }

        /** Age in whole years on {@code date}, from the birth date inside the ID number. */
        public int ageOn(LocalDate date) {
            return idNumber.ageOn(date);
        }
    }

    /** {@code card}: the card's number and dates. */
    public record Card(String cardNumber, LocalDate issueDate, LocalDate expiryDate) {
        public Card {
            Objects.requireNonNull(cardNumber, "cardNumber");
            Objects.requireNonNull(issueDate, "issueDate");
            Objects.requireNonNull(expiryDate, "expiryDate");
        }
    }

    /** {@code photo}: the decoded image for the card face. */
    public record Photo(Format format, byte[] bytes) {
        /** The image formats a job may carry. */
        public enum Format {
            JPEG("image/jpeg"),
            PNG("image/png");

            private final String mediaType;

            Format(String mediaType) {
                this.mediaType = mediaType;
            }

            public String mediaType() {
                return mediaType;
            }
        }

        public Photo {
            Objects.requireNonNull(format, "format");
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Photo p && p.format == format && Arrays.equals(p.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return format.hashCode() * 31 + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return format.mediaType() + " (" + bytes.length + " bytes)";
        }
    }

    /** What goes into the chip, with the concession the policy decided. */
    /**
     * The job as the hub contract's {@code issue} args ({@link IssuanceJobParser} reads it back
     * unchanged). Carries personal data in full: only for the store of jobs waiting to run.
     */
    public com.fasterxml.jackson.databind.node.ObjectNode toContractJson() {
        var j = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        j.put("jobId", jobId);
        j.put("staffId", staffId);
        var c = j.putObject("citizen");
        c.put("idNumber", citizen.idNumber().value());
        c.put("name", citizen.name().value());
        c.put("gender", citizen.gender().code());
        c.put("ethnicity", citizen.ethnicity());
        var k = j.putObject("card");
        k.put("cardNumber", card.cardNumber());
        k.put("issueDate", card.issueDate().toString());
        k.put("expiryDate", card.expiryDate().toString());
        photo.ifPresent(ph -> j.put("photo", java.util.Base64.getEncoder().encodeToString(ph.bytes())));
        transitConcession.ifPresent(tc -> j.put("transitConcession", tc));
        return j;
    }

    public ChipData chipData(Concession concession) {
        return new ChipData(citizen.idNumber(), citizen.name(), citizen.gender(), citizen.ethnicity(),
                citizen.idNumber().birthDate(), card.cardNumber(), card.issueDate(), card.expiryDate(), concession);
    }

    /** Whether the job opted out of the transit concession ({@code "transitConcession": false}). */
    public boolean optedOutOfConcession() {
        return transitConcession.isPresent() && !transitConcession.get();
    }

    @Override
    public String toString() {
        return "IssuanceJob[" + jobId + ", staff " + staffId + ", citizen " + citizen.idNumber().masked() + "]";
    }
}
