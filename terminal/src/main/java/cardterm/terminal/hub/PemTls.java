package cardterm.terminal.hub;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the TLS context of the hub link from PEM files as brokers and {@code openssl} make them:
 * CA certificates to trust, and optionally a client certificate (chain) and its private key
 * (PKCS#8 {@code PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY}; not
 * encrypted). Host names are checked by the MQTT client (endpoint identification HTTPS).
 */
public final class PemTls {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final byte[] OID_RSA = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01,
        0x01, 0x01};
    private static final byte[] OID_EC = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};

    private PemTls() {}

    /** A TLS file could not be read or used; the message names the file and what is wrong. */
    public static final class TlsFileException extends Exception {
        public TlsFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * An SSL context trusting the CAs of {@code caFile} (or the JVM's when null) and presenting
     * the client certificate when both {@code certFile} and {@code keyFile} are given.
     */
    public static SSLContext context(Path caFile, Path certFile, Path keyFile) throws TlsFileException {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                List<X509Certificate> cas = certificates(caFile);
                for (int i = 0; i < cas.size(); i++) {
                    trust.setCertificateEntry("ca-" + i, cas.get(i));
                }
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (certFile != null && keyFile != null) {
                List<X509Certificate> chain = certificates(certFile);
                PrivateKey key = privateKey(keyFile);
                char[] pass = "in-memory-only".toCharArray();
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("client", key, pass, chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, pass);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsFileException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The X.509 certificates of a PEM file, in file order; at least one. */
    public static List<X509Certificate> certificates(Path file) throws TlsFileException {
        try {
            List<X509Certificate> out = new ArrayList<>();
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (b.type().equals("CERTIFICATE")) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
            if (out.isEmpty()) {
                throw new TlsFileException(file + ": no PEM CERTIFICATE in it", null);
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new TlsFileException(file + ": not a valid certificate: " + e.getMessage(), e);
        }
    }

    /** The private key of a PEM file (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted). */
    public static PrivateKey privateKey(Path file) throws TlsFileException {
        for (Block b : blocks(file)) {
            switch (b.type()) {
                case "PRIVATE KEY":
                    return pkcs8(file, b.der());
                case "RSA PRIVATE KEY":
                    return pkcs8(file, wrapPkcs8(OID_RSA, new byte[] {0x05, 0x00}, b.der()));
                case "EC PRIVATE KEY":
                    return pkcs8(file, wrapPkcs8(OID_EC, sec1CurveOid(file, b.der()), b.der()));
                case "ENCRYPTED PRIVATE KEY":
                    throw new TlsFileException(file + ": the key is encrypted; give it unencrypted "
                            + "(openssl pkcs8 -topk8 -nocrypt) and protect the file instead", null);
                default:
                    break;
            }
        }
        throw new TlsFileException(file + ": no PEM private key in it (PRIVATE KEY, RSA PRIVATE KEY or "
                + "EC PRIVATE KEY)", null);
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws TlsFileException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String alg : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // try the next algorithm
            }
        }
        throw new TlsFileException(file + ": the private key is of no supported algorithm (RSA, EC, EdDSA)", null);
    }

    private record Block(String type, byte[] der) {}

    private static List<Block> blocks(Path file) throws TlsFileException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new TlsFileException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new TlsFileException(file + ": bad base64 in a " + m.group(1) + " block", e);
            }
        }
        if (out.isEmpty()) {
            throw new TlsFileException(file + ": not a PEM file", null);
        }
        return out;
    }

    /** PrivateKeyInfo ::= SEQUENCE { INTEGER 0, SEQUENCE { algorithm OID, params }, OCTET STRING key }. */
    private static byte[] wrapPkcs8(byte[] algorithmOid, byte[] params, byte[] key) {
        byte[] version = {0x02, 0x01, 0x00};
        byte[] algorithm = tlv(0x30, concat(algorithmOid, params));
        return tlv(0x30, concat(version, algorithm, tlv(0x04, key)));
    }

    /** The named-curve OID (as a TLV) from the {@code [0] parameters} of a SEC1 ECPrivateKey. */
    private static byte[] sec1CurveOid(Path file, byte[] der) throws TlsFileException {
        try {
            Der outer = new Der(der, 0);
            if (outer.tag != 0x30) {
                throw new TlsFileException(file + ": EC PRIVATE KEY is not a DER sequence", null);
            }
            int pos = outer.valueStart;
            while (pos < outer.valueEnd()) {
                Der element = new Der(der, pos);
                if (element.tag == 0xA0) {
                    Der oid = new Der(der, element.valueStart);
                    if (oid.tag == 0x06) {
                        return java.util.Arrays.copyOfRange(der, oid.start, oid.end());
                    }
                }
                pos = element.end();
            }
        } catch (IndexOutOfBoundsException e) {
            throw new TlsFileException(file + ": EC PRIVATE KEY is truncated", e);
        }
        throw new TlsFileException(file + ": EC PRIVATE KEY names no curve; convert it to PKCS#8 "
                + "(openssl pkcs8 -topk8 -nocrypt)", null);
    }

    /** One DER element header read at {@code start}. */
    private static final class Der {
        final int start;
        final int tag;
        final int length;
        final int valueStart;

        Der(byte[] b, int start) {
            this.start = start;
            this.tag = b[start] & 0xFF;
            int first = b[start + 1] & 0xFF;
            if (first < 0x80) {
                length = first;
                valueStart = start + 2;
            } else {
                int n = first & 0x7F;
                if (n < 1 || n > 3) {
                    throw new IndexOutOfBoundsException("unsupported DER length");
                }
                int len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (b[start + 2 + i] & 0xFF);
                }
                length = len;
                valueStart = start + 2 + n;
            }
            if (valueStart + length > b.length) {
                throw new IndexOutOfBoundsException("DER element runs past the end");
            }
        }

        int valueEnd() {
            return end();
        }

        int end() {
            return valueStart + length;
        }
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
