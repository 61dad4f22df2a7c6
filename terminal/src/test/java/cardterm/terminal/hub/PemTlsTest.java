package cardterm.terminal.hub;

import cardterm.terminal.command.CommandRegistry;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the TLS loader says about files it cannot use (good files: {@link HubTlsAclTest}). */
class PemTlsTest {
    @TempDir
    Path dir;

    @Test
    void namesTheFileAndTheProblem() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello");
        assertThatThrownBy(() -> PemTls.certificates(garbage)).isInstanceOf(PemTls.TlsFileException.class)
                .hasMessageContaining("garbage.pem").hasMessageContaining("not a PEM file");

        Path encrypted = Files.writeString(dir.resolve("enc.key"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertThatThrownBy(() -> PemTls.privateKey(encrypted)).hasMessageContaining("encrypted");

        Path noKey = Files.writeString(dir.resolve("cert-only.pem"),
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> PemTls.privateKey(noKey)).hasMessageContaining("no PEM private key");
        assertThatThrownBy(() -> PemTls.certificates(noKey)).hasMessageContaining("not a valid certificate");

        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> PemTls.context(missing, null, null)).hasMessageContaining("cannot read");
    }

    @Test
    void aLinkWithUnusableTlsFilesIsRefusedWhenMade() throws Exception {
        Path garbage = Files.writeString(dir.resolve("ca.pem"), "hello");
        HubSettings settings = HubSettings.builder("s", "t-1").uri("ssl://localhost:8883").tls(garbage, null, null)
                .build();
        try (var db = cardterm.terminal.store.Database.open(dir.resolve("db"));
                var outbox = cardterm.terminal.store.Outbox.open(db,
                        cardterm.terminal.store.OutboxSettings.of("s", "t-1"), java.time.Clock.systemUTC())) {
            assertThatThrownBy(() -> new HubLink(settings, db, outbox, new CommandRegistry(),
                    java.time.Clock.systemUTC(), "x")).isInstanceOf(HubSettings.InvalidSettings.class)
                    .hasMessageContaining("ca.pem");
        }
    }
}
