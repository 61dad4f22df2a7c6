package cardterm.devices.printer.face;

import cardterm.devices.health.HealthReason;
import cardterm.devices.health.HealthTrackedDevice;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The card face as a monitored part of the terminal ({@value #DEVICE_ID}): ONLINE with a renderer
 * when a CJK font was found, else OFFLINE/CONFIGURATION_ERROR with {@link FontCheck}'s message,
 * which names the package to install. The terminal starts either way; issuance refuses jobs while
 * there is no renderer (no card is fed, none is printed with boxes for characters).
 */
public final class CardFaceDevice extends HealthTrackedDevice {
    /** The device id in health and {@code device.status} events. */
    public static final String DEVICE_ID = "cardface";

    private final CardFaceRenderer renderer;

    private CardFaceDevice(Clock clock, CardFaceRenderer renderer, String problem) {
        super(DEVICE_ID, Objects.requireNonNull(clock, "clock"));
        this.renderer = renderer;
        if (renderer != null) {
            health.online();
        } else {
            health.set(HealthReason.CONFIGURATION_ERROR, problem);
        }
    }

    /** A card face that works, with this renderer. */
    public static CardFaceDevice ready(CardFaceRenderer renderer, Clock clock) {
        return new CardFaceDevice(clock, Objects.requireNonNull(renderer, "renderer"), null);
    }

    /**
     * The card face after a font check: a renderer with the font found, or OFFLINE with the
     * check's message (also when the font found cannot show the title or the labels).
     */
    public static CardFaceDevice of(FontCheck check, String title, Clock clock) {
        Objects.requireNonNull(check, "check");
        return switch (check) {
            case FontCheck.Found found -> {
                try {
                    yield ready(CardFaceRenderer.of(found, title), clock);
                } catch (IllegalArgumentException e) {
                    yield new CardFaceDevice(clock, null, e.getMessage());
                }
            }
            case FontCheck.Missing missing -> new CardFaceDevice(clock, null, missing.message());
        };
    }

    /** Checks the configured font file (or the installed fonts when none is configured). */
    public static CardFaceDevice check(Optional<Path> fontFile, String title, Clock clock) {
        return of(FontCheck.find(fontFile), title, clock);
    }

    /** The renderer, empty while the card face is unusable. */
    public Optional<CardFaceRenderer> renderer() {
        return Optional.ofNullable(renderer);
    }

    /** Why the card face is unusable (what to install), empty when it works. */
    public Optional<String> problem() {
        return renderer == null ? Optional.of(health.current().message()) : Optional.empty();
    }

    @Override
    public String toString() {
        return "CardFaceDevice[" + health.current() + "]";
    }
}
