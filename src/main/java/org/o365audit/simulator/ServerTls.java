package org.o365audit.simulator;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The simulator's TLS identity: a key pair and its certificate for localhost and 127.0.0.1. The demo makes a
 * fresh one at every start ({@link #generate()}), held in memory only, so no private key ships in the jar and
 * a client trusts exactly this run's simulator ({@link #certificate()}).
 */
public final class ServerTls {

    private static final Duration VALIDITY = Duration.ofDays(397);
    private static final char[] IN_MEMORY = new char[0];

    private final SSLContext serverContext;
    private final X509Certificate certificate;

    private ServerTls(SSLContext serverContext, X509Certificate certificate) {
        this.serverContext = serverContext;
        this.certificate = certificate;
    }

    /** A new P-256 key pair and a self-signed certificate CN=localhost (SAN localhost, 127.0.0.1). */
    public static ServerTls generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=localhost, O=o365-audit-connector simulated tenant");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(128, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return of(pair.getPrivate(), cert);
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot make the simulator's TLS certificate", e);
        }
    }

    /** The first key entry of a key store (the tests' fixed localhost identity). */
    public static ServerTls of(KeyStore keyStore, char[] password) {
        try {
            String alias = keyStore.aliases().nextElement();
            return of((PrivateKey) keyStore.getKey(alias, password), (X509Certificate) keyStore.getCertificate(alias));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the key entry of the key store", e);
        }
    }

    private static ServerTls of(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try {
            keyStore.load(null, null);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create an empty key store", e);
        }
        keyStore.setKeyEntry("simulator", key, IN_MEMORY, new Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, IN_MEMORY);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return new ServerTls(context, cert);
    }

    /** Server side, for the simulator's HTTPS listener. */
    public SSLContext serverContext() {
        return serverContext;
    }

    /** The certificate the simulator presents: the one thing a client of this run's simulator should trust. */
    public X509Certificate certificate() {
        return certificate;
    }
}
