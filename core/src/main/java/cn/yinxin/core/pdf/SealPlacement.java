package cn.yinxin.core.pdf;

/**
 * Where a seal goes: a page (1-based) and the seal's centre in millimetres from the top-left corner of the page
 * as a reader sees it (after /Rotate, inside the CropBox). This is how a clerk measures on paper.
 */
public record SealPlacement(int page, double xMm, double yMm) {
}
