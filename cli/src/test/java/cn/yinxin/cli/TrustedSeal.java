package cn.yinxin.cli;

import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.keystores.SamplePki;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sample seal of a fresh sample PKI made in {@code dir/pki}, and a trust folder {@code dir/trust} holding only its
 * certificate (what {@code yinxin qr verify --trust} reads): for tests that sign licence codes with it.
 */
record TrustedSeal(SealKey key, Path trust) {

    static TrustedSeal in(Path dir) throws Exception {
        Path keystores = dir.resolve("pki");
        SamplePki.create(keystores);
        SealKey seal = SealKey.fromPkcs12(keystores.resolve("seals/" + SamplePki.SEAL_ID + "/seal.p12"),
                SamplePki.PASSWORD.toCharArray());
        Path trust = Files.createDirectories(dir.resolve("trust"));
        Files.write(trust.resolve("seal.cer"), seal.certificate().getEncoded());
        return new TrustedSeal(seal, trust);
    }
}
