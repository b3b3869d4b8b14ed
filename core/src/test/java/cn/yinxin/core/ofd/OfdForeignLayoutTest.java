package cn.yinxin.core.ofd;

import cn.yinxin.core.ofd.seal.OfdSealer;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.verify.report.Verdict;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An OFD laid out as another producer might: other folder names, another namespace prefix, relative and absolute
 * locations, resources under a BaseLoc, licence metadata under pinyin initials. The reader follows the XML, the
 * sealer seals it and the verifier finds it VALID.
 */
class OfdForeignLayoutTest {

    private static final String NS = "xmlns:o=\"http://www.ofdspec.org/2016\"";

    static byte[] foreign() {
        return OfdPackage.empty()
                .with("OFD.xml", xml("<o:OFD " + NS + " Version=\"1.1\" DocType=\"OFD\"><o:DocBody><o:DocInfo>"
                        + "<o:DocID>abc</o:DocID><o:CustomDatas><o:CustomData Name=\"ZZMC\">营业执照</o:CustomData>"
                        + "<o:CustomData Name=\"ZZBS\">1.2.156.3005.2.X</o:CustomData>"
                        + "<o:CustomData Name=\"YXQJZRQ\">长期</o:CustomData></o:CustomDatas></o:DocInfo>"
                        + "<o:DocRoot>/Files/Main/Doc.xml</o:DocRoot></o:DocBody></o:OFD>"))
                .with("Files/Main/Doc.xml", xml("<o:Document " + NS + "><o:CommonData><o:MaxUnitID>9</o:MaxUnitID>"
                        + "<o:PageArea><o:PhysicalBox>0 0 148 210</o:PhysicalBox></o:PageArea>"
                        + "<o:PublicRes>Shared/Pub.xml</o:PublicRes>"
                        + "<o:TemplatePage ID=\"8\" BaseLoc=\"Tpl/back.xml\"/></o:CommonData><o:Pages>"
                        + "<o:Page ID=\"7\" BaseLoc=\"Sheets/first.xml\"/></o:Pages></o:Document>"))
                .with("Files/Main/Shared/Pub.xml", xml("<o:Res " + NS + " BaseLoc=\"Media\"><o:MultiMedias>"
                        + "<o:MultiMedia ID=\"3\" Type=\"Image\"><o:MediaFile>logo.png</o:MediaFile></o:MultiMedia>"
                        + "</o:MultiMedias></o:Res>"))
                .with("Files/Main/Tpl/back.xml", xml("<o:Page " + NS + "><o:Content/></o:Page>"))
                .with("Files/Main/Shared/Media/logo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G'})
                .with("Files/Main/Sheets/first.xml", xml("<o:Page " + NS + "><o:Content><o:Layer ID=\"4\">"
                        + "<o:TextObject ID=\"5\" Boundary=\"20 20 100 10\" Font=\"2\" Size=\"6\">"
                        + "<o:TextCode X=\"0\" Y=\"6\" DeltaX=\"g 5 6\">发证机关盖章</o:TextCode></o:TextObject>"
                        + "</o:Layer></o:Content></o:Page>"))
                .toZip();
    }

    @Test
    void theReaderFollowsAnotherProducersPaths() {
        OfdDocument read = new OfdReader().read(foreign());
        assertThat(read.documentXml()).isEqualTo("Files/Main/Doc.xml");
        assertThat(read.pages()).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo("7");
            assertThat(p.content()).isEqualTo("Files/Main/Sheets/first.xml");
            assertThat(p.widthMm()).isEqualTo(148);
        });
        assertThat(read.parts()).contains("Files/Main/Shared/Media/logo.png", "Files/Main/Tpl/back.xml");
        assertThat(read.licence().name()).isEqualTo("营业执照");
        assertThat(read.licence().validUntil()).isNull();
        // "盖章" is glyphs 5 and 6 of a run of 6 mm glyphs from x 20: centred at 20 + 4 * 6 + 6 = 50
        OfdTextFinder.Found found = OfdTextFinder.find(read, read.pages().get(0), "盖章", OfdLimits.DEFAULT);
        assertThat(found.xMm()).isCloseTo(50, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void anotherProducersOfdIsSealedAndVerified() throws Exception {
        OfdMaterial material = new OfdMaterial();
        byte[] sealed = new OfdSealer(material.timeStamper()).seal(foreign(),
                material.request(SealPlacement.atText(1, "盖章")));
        OfdDocument read = new OfdReader().read(sealed);
        assertThat(read.signaturesXml()).isEqualTo("Files/Main/Signs/Signatures.xml");
        assertThat(material.verifier().verify(sealed).verdict()).isEqualTo(Verdict.VALID);
    }

    private static byte[] xml(String text) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + text).getBytes(StandardCharsets.UTF_8);
    }
}
