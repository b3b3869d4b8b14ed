package cn.yinxin.bench;

import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * What the licences of a benchmark take in the registry: the mean size of the stored PDF and OFD, and for the last
 * PDF issued how much of its signature's /Contents the value uses (the rest is the zeros of the room reserved).
 */
record StoredSizes(long licences, double meanPdf, double meanOfd, int contentsRoom, int contentsUsed) {

    static StoredSizes of(String jdbcUrl) throws SQLException {
        try (var connection = DriverManager.getConnection(jdbcUrl);
             var statement = connection.createStatement()) {
            var sizes = statement.executeQuery("SELECT count(*), avg(octet_length(pdf)) FILTER (WHERE octet_length(pdf) > 16),"
                    + " avg(octet_length(ofd)) FROM licence");
            sizes.next();
            long count = sizes.getLong(1);
            double pdf = sizes.getDouble(2);
            double ofd = sizes.getDouble(3);
            var last = statement.executeQuery("SELECT pdf FROM licence WHERE octet_length(pdf) > 16 ORDER BY issued_at DESC LIMIT 1");
            int room = 0;
            int used = 0;
            if (last.next()) {
                String text = new String(last.getBytes(1), StandardCharsets.ISO_8859_1);
                int start = text.lastIndexOf("/Contents <") + "/Contents <".length();
                String hex = text.substring(start, text.indexOf('>', start));
                room = hex.length() / 2;
                used = hex.replaceAll("(00)+$", "").length() / 2;
            }
            return new StoredSizes(count, pdf, ofd, room, used);
        }
    }

    @Override
    public String toString() {
        return String.format("stored: %d licences, mean PDF %.0f bytes, mean OFD %.0f bytes; the last PDF's /Contents: "
                + "%d bytes reserved, %d used", licences, meanPdf, meanOfd, contentsRoom, contentsUsed);
    }
}
