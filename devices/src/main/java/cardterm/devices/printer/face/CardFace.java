package cardterm.devices.printer.face;

import cardterm.devices.citizen.CitizenName;
import cardterm.devices.citizen.ResidentId;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What goes on the front of a citizen card: name, ID number, card number, issue date and an
 * optional photo (JPEG or PNG bytes). Personal data: {@link #toString()} masks the name and the ID
 * number and never shows the photo.
 *
 * @param name the holder's name
 * @param idNumber the holder's resident ID number
 * @param cardNumber the card number, 9 upper-case letters and digits (chip-profile.md, EF05 record 7)
 * @param issueDate the issue date printed on the card
 * @param photo JPEG or PNG bytes, or {@code null} for none (then the card shows an empty frame)
 */
public record CardFace(CitizenName name, ResidentId idNumber, String cardNumber, LocalDate issueDate, byte[] photo) {

    /** The card number as EF05 record 7 holds it. */
    public static final Pattern CARD_NUMBER = Pattern.compile("[A-Z0-9]{9}");

    public CardFace {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(idNumber, "idNumber");
        Objects.requireNonNull(cardNumber, "cardNumber");
        Objects.requireNonNull(issueDate, "issueDate");
        if (!CARD_NUMBER.matcher(cardNumber).matches()) {
            throw new IllegalArgumentException(
                    "cardNumber must be 9 upper-case letters and digits, got " + cardNumber.length() + " characters");
        }
        photo = photo == null || photo.length == 0 ? null : photo.clone();
    }

    /** A face without a photo. */
    public static CardFace withoutPhoto(CitizenName name, ResidentId idNumber, String cardNumber, LocalDate issueDate) {
        return new CardFace(name, idNumber, cardNumber, issueDate, null);
    }

    /** A copy of the photo bytes, or {@code null} when there is none. */
    @Override
    public byte[] photo() {
        return photo == null ? null : photo.clone();
    }

    /** The photo bytes, if any (a copy). */
    public Optional<byte[]> photoBytes() {
        return Optional.ofNullable(photo());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CardFace f
                && f.name.equals(name)
                && f.idNumber.equals(idNumber)
                && f.cardNumber.equals(cardNumber)
                && f.issueDate.equals(issueDate)
                && Arrays.equals(f.photo, photo);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, idNumber, cardNumber, issueDate, Arrays.hashCode(photo));
    }

    @Override
    public String toString() {
        return "CardFace[name=" + name.masked() + ", idNumber=" + idNumber.masked() + ", cardNumber=" + cardNumber
                + ", issueDate=" + issueDate + ", photo=" + (photo == null ? "none" : photo.length + " bytes") + "]";
    }
}
