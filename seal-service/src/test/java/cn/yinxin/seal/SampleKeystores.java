package cn.yinxin.seal;

import cn.yinxin.keystores.SamplePki;

import java.nio.file.Files;
import java.nio.file.Path;

/** A fresh development PKI and sample seal, made by keystores-sample, in a temporary folder. */
public final class SampleKeystores {

    private SampleKeystores() {
    }

    public static Path fresh() {
        try {
            Path dir = Files.createTempDirectory("yinxin-keystores");
            SamplePki.create(dir);
            return dir;
        } catch (Exception e) {
            throw new IllegalStateException("sample keystores could not be made", e);
        }
    }
}
