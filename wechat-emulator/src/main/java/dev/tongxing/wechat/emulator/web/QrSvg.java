package dev.tongxing.wechat.emulator.web;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

import java.util.Map;

/** A QR code as an SVG image response (the emulator's QR pages draw their codes with it). */
final class QrSvg {
    private QrSvg() {}

    static ResponseEntity<String> response(String content) {
        try {
            BitMatrix m = new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, 0, 0, Map.of(EncodeHintType.MARGIN, 2));
            StringBuilder svg = new StringBuilder();
            svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(m.getWidth()).append(' ').append(m.getHeight())
                    .append("\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"");
            for (int y = 0; y < m.getHeight(); y++) {
                for (int x = 0; x < m.getWidth(); x++) {
                    if (m.get(x, y)) svg.append('M').append(x).append(',').append(y).append("h1v1h-1z");
                }
            }
            svg.append("\"/></svg>");
            return ResponseEntity.ok().header(HttpHeaders.CONTENT_TYPE, "image/svg+xml").header(HttpHeaders.CACHE_CONTROL, "no-store").body(svg.toString());
        } catch (WriterException e) {
            return ResponseEntity.internalServerError().body(e.toString());
        }
    }
}
