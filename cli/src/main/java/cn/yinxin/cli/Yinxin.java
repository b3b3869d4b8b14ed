package cn.yinxin.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code yinxin} command line. The ./yinxin script runs up, down, status and test itself and hands every
 * other command to this program.
 */
@Command(name = "yinxin", mixinStandardHelpOptions = true, version = "yinxin 0.1.0",
        description = "Seal PDFs with electronic seals and verify them; issue licences and verify their QR codes.",
        subcommands = {SealCommand.class, VerifyCommand.class, DatabaseCommand.class, LicenceCommand.class,
                QrCommand.class, AuditCommand.class, SealsCommand.class, CompletionCommand.class})
public final class Yinxin {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Yinxin()).execute(args));
    }
}
