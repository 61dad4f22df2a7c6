package cardterm.terminal.app;

import cardterm.devices.chip.Concession;
import cardterm.devices.gpio.ActiveLevel;
import cardterm.devices.gpio.Pull;
import cardterm.terminal.assist.AssistConfig;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.hub.HubSettings;
import cardterm.terminal.issuance.IssuancePolicy;
import cardterm.terminal.store.OutboxSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Maps the validated {@link TerminalConfig} onto each part's own settings. Pure. */
public final class Wiring {
    private Wiring() {}

    public static HubSettings hub(TerminalConfig c, String clientId) {
        TerminalConfig.Hub h = c.hub();
        HubSettings.Builder b = HubSettings.builder(c.terminal().site(), c.terminal().id())
                .uris(h.uris().stream().map(URI::toString).toList())
                .clientId(clientId)
                .keepAlive(h.keepAlive())
                .connectTimeout(h.connectTimeout())
                .backoff(h.reconnect().initialDelay(), h.reconnect().maxDelay())
                .inflightWindow(h.inflightWindow())
                .commandKeyFile(h.commandKeyFile());
        if (h.tls().caFile().isPresent()) {
            b.tls(h.tls().caFile().get(), h.tls().certFile().orElse(null), h.tls().keyFile().orElse(null));
        }
        if (h.username().isPresent()) {
            String pass = h.passwordFile().map(p -> {
                try {
                    return Files.readString(p, StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).orElse(null);
            b.credentials(h.username().get(), pass);
        }
        return b.build();
    }

    public static OutboxSettings outbox(TerminalConfig c) {
        return OutboxSettings.of(c.terminal().site(), c.terminal().id()).withMaxEntries(c.outbox().maxEvents());
    }

    public static AssistConfig assist(TerminalConfig c) {
        List<AssistConfig.ButtonConfig> buttons = new ArrayList<>();
        for (TerminalConfig.Button b : c.buttons()) {
            Pull pull = switch (b.pull()) {
                case UP -> Pull.UP;
                case DOWN -> Pull.DOWN;
                case NONE -> Pull.NONE;
            };
            buttons.add(new AssistConfig.ButtonConfig(b.id(), b.location(), b.post(),
                    new AssistConfig.Wiring(b.pin(), b.lamp().pin(), b.buzzer().pin(), pull,
                            b.activeLow() ? ActiveLevel.LOW : ActiveLevel.HIGH, ActiveLevel.HIGH)));
        }
        Map<String, AssistConfig.Post> posts = new LinkedHashMap<>();
        for (TerminalConfig.Post p : c.posts()) {
            posts.put(p.name(), new AssistConfig.Post(p.a(), p.b()));
        }
        TerminalConfig.Assist a = c.assist();
        return new AssistConfig(buttons, posts, c.supervisors(),
                new AssistConfig.Timing(a.debounce(), a.longPress(), a.stuckAfter(), a.escalateToB(),
                        AssistConfig.Timing.DEFAULT.reminderGap()));
    }

    public static IssuancePolicy policy(TerminalConfig c) {
        List<IssuancePolicy.Band> bands = new ArrayList<>();
        for (TerminalConfig.ConcessionBand b : c.issuance().concessions()) {
            Concession.Type t = switch (b.type()) {
                case DISCOUNT -> Concession.Type.DISCOUNT;
                case FREE -> Concession.Type.FREE;
            };
            bands.add(new IssuancePolicy.Band(b.fromAge(), b.toAge(), t));
        }
        return new IssuancePolicy(c.issuance().elderlyAge(), bands, c.issuance().concessionByDefault());
    }

    public static Duration promised(TerminalConfig c) {
        return c.issuance().promisedDuration();
    }
}
