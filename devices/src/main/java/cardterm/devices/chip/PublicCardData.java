package cardterm.devices.chip;

import java.time.LocalDate;
import java.util.Optional;

/**
 * What {@code card read} may show of an issued card: the ID number and name masked, the card
 * number, dates and concession ({@code Optional.empty()} when the card has no transit
 * application), and the region code of the identification code ({@code 330300}).
 */
public record PublicCardData(String maskedIdNumber, String maskedName, String cardNumber, LocalDate issueDate,
        LocalDate expiryDate, Optional<Concession> concession, String region) {
}
