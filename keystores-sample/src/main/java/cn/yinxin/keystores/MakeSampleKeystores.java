package cn.yinxin.keystores;

import java.nio.file.Path;

/** {@code java -jar keystores-sample.jar [DIR]}: makes the development PKI and sample seal in DIR if absent. */
public final class MakeSampleKeystores {

    private MakeSampleKeystores() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "var/keystores").toAbsolutePath();
        if (SamplePki.createIfAbsent(dir)) {
            System.out.println("Made the development PKI and the sample seal in " + dir);
        } else {
            System.out.println("Development PKI already present in " + dir + " (kept)");
        }
    }
}
