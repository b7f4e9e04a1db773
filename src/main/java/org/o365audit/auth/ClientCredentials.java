package org.o365audit.auth;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.IClientCredential;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.o365audit.config.Tenant;

/** Builds the msal4j credential of a tenant: client secret, PKCS#12 or PEM certificate. */
public final class ClientCredentials {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private ClientCredentials() {
    }

    public static IClientCredential of(Tenant tenant) {
        if (tenant.clientSecret() != null) {
            return ClientCredentialFactory.createFromSecret(tenant.clientSecret());
        }
        String path = tenant.certificatePath();
        try (InputStream in = TlsSupport.open(path)) {
            byte[] bytes = in.readAllBytes();
            if (new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.US_ASCII).contains("-----BEGIN")) {
                return fromPem(new String(bytes, StandardCharsets.US_ASCII), path);
            }
            String pw = tenant.certificatePassword() == null ? "" : tenant.certificatePassword();
            return ClientCredentialFactory.createFromCertificate(new ByteArrayInputStream(bytes), pw);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("tenant " + tenant.name() + ": cannot read certificate " + path
                    + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static IClientCredential fromPem(String text, String path) throws GeneralSecurityException {
        PrivateKey key = null;
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (m.group(1)) {
                case "PRIVATE KEY" -> key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
                case "CERTIFICATE" -> chain.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
                case "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY" -> throw new GeneralSecurityException(
                        "PEM block '" + m.group(1) + "' is not supported; convert it to an unencrypted PKCS#8 key "
                                + "(openssl pkcs8 -topk8 -nocrypt) or use a PKCS#12 file with certificate-password");
                default -> {
                    // other blocks (parameters, CSRs) are not needed
                }
            }
        }
        if (key == null || chain.isEmpty()) {
            throw new GeneralSecurityException(path + " must hold a PKCS#8 'PRIVATE KEY' and at least one 'CERTIFICATE' block");
        }
        return ClientCredentialFactory.createFromCertificateChain(key, chain);
    }
}
