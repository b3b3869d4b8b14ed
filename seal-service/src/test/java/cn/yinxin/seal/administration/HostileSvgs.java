package cn.yinxin.seal.administration;

import java.nio.charset.StandardCharsets;

/**
 * SVG seal images that cost minutes to draw though small (the seventh red team's measurements with jsvg 2.1.0 at
 * 16 px/mm), and a genuine seal. Each is made here so that the test shows what is sent.
 */
final class HostileSvgs {

    private static final String OPEN = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 100\" width=\"100\" height=\"100\">";

    private HostileSvgs() {
    }

    /** 200 chained Gaussian blurs of a wide deviation on one circle: about 7 KB. */
    static byte[] blurs() {
        StringBuilder svg = new StringBuilder(OPEN).append("<filter id=\"f\" x=\"-50%\" y=\"-50%\" width=\"200%\" height=\"200%\">");
        for (int i = 0; i < 200; i++) {
            svg.append("<feGaussianBlur stdDeviation=\"9\"/>");
        }
        svg.append("</filter><circle cx=\"50\" cy=\"50\" r=\"40\" fill=\"#d00\" filter=\"url(#f)\"/></svg>");
        return bytes(svg);
    }

    /** 300 circles, each drawn through a mask the size of the whole picture: about 19 KB. */
    static byte[] masks() {
        StringBuilder svg = new StringBuilder(OPEN).append("<mask id=\"m\" x=\"0\" y=\"0\" width=\"100\" height=\"100\" "
                + "maskUnits=\"userSpaceOnUse\"><rect width=\"100\" height=\"100\" fill=\"white\"/>"
                + "<circle cx=\"50\" cy=\"50\" r=\"20\" fill=\"black\"/></mask>");
        for (int i = 0; i < 300; i++) {
            svg.append("<circle cx=\"50\" cy=\"50\" r=\"").append(45 - i * 0.1).append("\" fill=\"#d00\" mask=\"url(#m)\"/>");
        }
        return bytes(svg.append("</svg>"));
    }

    /** 1,000 large circles, each filled with a radial gradient of its own: about 130 KB. */
    static byte[] gradients() {
        StringBuilder svg = new StringBuilder(OPEN).append("<defs>");
        for (int i = 0; i < 1000; i++) {
            svg.append("<radialGradient id=\"g").append(i).append("\"><stop stop-color=\"#d00\"/>"
                    + "<stop offset=\"1\" stop-color=\"#fff\"/></radialGradient>");
        }
        svg.append("</defs>");
        for (int i = 0; i < 1000; i++) {
            svg.append("<circle cx=\"50\" cy=\"50\" r=\"48\" fill=\"url(#g").append(i).append(")\"/>");
        }
        return bytes(svg.append("</svg>"));
    }

    /** One circle stroked with dashes of 0.0002 units (0.001 was measured): millions of dashes in one Java2D call. */
    static byte[] dashes() {
        return bytes(new StringBuilder(OPEN).append("<circle cx=\"50\" cy=\"50\" r=\"45\" fill=\"none\" stroke=\"#d00\" "
                + "stroke-width=\"4\" stroke-dasharray=\"0.0002\"/></svg>"));
    }

    /**
     * 1,500 invisible circles whose transform jsvg cannot read: one warning with a stack of lines each on the drawing
     * process's error stream (about 280 KB), then nothing drawn.
     */
    static byte[] noisy() {
        StringBuilder svg = new StringBuilder(OPEN);
        for (int i = 0; i < 1500; i++) {
            svg.append("<circle cx=\"50\" cy=\"50\" r=\"40\" fill=\"none\" transform=\"rotate(bad)\"/>");
        }
        return bytes(svg.append("</svg>"));
    }

    /** A seal as an administrator draws one: a ring, a star and the agency's name along an arc. */
    static byte[] genuine() {
        return bytes(new StringBuilder(OPEN).append("""
                <defs><path id="arc" d="M 18 55 A 32 32 0 1 1 82 55"/></defs>
                <circle cx="50" cy="50" r="46" fill="none" stroke="#d00" stroke-width="4"/>
                <polygon points="50,32 55,45 69,45 58,53 62,67 50,59 38,67 42,53 31,45 45,45" fill="#d00"/>
                <text font-size="9" fill="#d00" text-anchor="middle"><textPath href="#arc" startOffset="50%">示例市行政审批服务局</textPath></text>
                <text x="50" y="80" font-size="7" fill="#d00" text-anchor="middle">合同专用章</text>
                </svg>"""));
    }

    private static byte[] bytes(CharSequence svg) {
        return svg.toString().getBytes(StandardCharsets.UTF_8);
    }
}
