package io.berth.build.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * One instruction's text after joining its continuation lines, plus where each joined piece came from, so that
 * an error at any offset of the joined text can name the physical line and column.
 */
final class LogicalLine {
    /** A piece of the joined text: it starts at {@code offset} and came from {@code line}:{@code column}. */
    private record Piece(int offset, int line, int column) {
    }

    private final StringBuilder text = new StringBuilder();
    private final List<Piece> pieces = new ArrayList<>();

    void append(String piece, int line, int column) {
        pieces.add(new Piece(text.length(), line, column));
        text.append(piece);
    }

    String text() {
        return text.toString();
    }

    int firstLine() {
        return pieces.getFirst().line();
    }

    Instruction.SourceLocation locate(String file, int offset) {
        Piece found = pieces.getFirst();
        for (Piece piece : pieces) {
            if (piece.offset() > offset) {
                break;
            }
            found = piece;
        }
        return new Instruction.SourceLocation(file, found.line(), found.column() + Math.max(0, offset - found.offset()));
    }

    /** The text from {@code from} on, with positions still pointing at the original lines (for ONBUILD). */
    LogicalLine slice(int from) {
        LogicalLine slice = new LogicalLine();
        String all = text.toString();
        for (int i = 0; i < pieces.size(); i++) {
            int start = pieces.get(i).offset();
            int end = i + 1 < pieces.size() ? pieces.get(i + 1).offset() : all.length();
            if (end <= from) {
                continue;
            }
            int cut = Math.max(start, from);
            slice.append(all.substring(cut, end), pieces.get(i).line(), pieces.get(i).column() + (cut - start));
        }
        if (slice.pieces.isEmpty()) {
            Instruction.SourceLocation end = locate("", all.length());
            slice.append("", end.line(), end.column());
        }
        return slice;
    }
}
