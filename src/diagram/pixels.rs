//! Drawn pixels to PNG rows: premultiplied RGBA from tiny-skia becomes RGB (or straight
//! RGBA when some pixel is translucent), and two rows become one row of the half-size
//! image. These loops touch every pixel, so they work on 32-bit words and are compiled
//! for AVX2 and SSE4.1 as well, picked at run time (multiversion).

/// Writes one PNG scanline into `out`: filter type 0 (none), then the packed pixels.
pub(crate) fn scanline(out: &mut [u8], rgba: &[u8], alpha: bool) -> bool {
    out[0] = 0;
    pack(rgba, &mut out[1..], alpha)
}

fn le32(b: &[u8; 4]) -> u32 {
    u32::from_le_bytes(*b)
}

/// `out` = the rounded mean of each 2x2 block of the rows `top` and `bottom`, computed
/// two channels at a time in 16-bit lanes of a u32.
#[multiversion::multiversion(targets("x86_64+avx2", "x86_64+sse4.1"))]
pub(crate) fn average(top: &[u8], bottom: &[u8], out: &mut [u8]) {
    const LANES: u32 = 0x00FF_00FF;
    const ROUND: u32 = 0x0002_0002;
    let (top, _) = top.as_chunks::<4>();
    let (bottom, _) = bottom.as_chunks::<4>();
    let (out, _) = out.as_chunks_mut::<4>();
    for ((o, t), b) in out
        .iter_mut()
        .zip(top.chunks_exact(2))
        .zip(bottom.chunks_exact(2))
    {
        let four = [le32(&t[0]), le32(&t[1]), le32(&b[0]), le32(&b[1])];
        let even: u32 = four.iter().map(|p| p & LANES).sum::<u32>() + ROUND;
        let odd: u32 = four.iter().map(|p| (p >> 8) & LANES).sum::<u32>() + ROUND;
        *o = (((even >> 2) & LANES) | (((odd >> 2) & LANES) << 8)).to_le_bytes();
    }
}

/// Writes premultiplied RGBA pixels as straight RGBA (`alpha`) or as RGB; false when RGB
/// was asked for and some pixel is not opaque.
#[multiversion::multiversion(targets("x86_64+avx2", "x86_64+sse4.1"))]
fn pack(rgba: &[u8], out: &mut [u8], alpha: bool) -> bool {
    if alpha {
        for (o, p) in out.chunks_exact_mut(4).zip(rgba.chunks_exact(4)) {
            o.copy_from_slice(&demultiply(p));
        }
        return true;
    }
    // Four pixels (16 bytes) become 12 bytes through three u32 stores.
    let (quads, rest) = rgba.as_chunks::<16>();
    let (outs, out_rest) = out.as_chunks_mut::<12>();
    let mut opaque = u32::MAX;
    for (o, q) in outs.iter_mut().zip(quads) {
        let (q, _) = q.as_chunks::<4>();
        let [a, b, c, d] = [le32(&q[0]), le32(&q[1]), le32(&q[2]), le32(&q[3])];
        opaque &= a & b & c & d;
        let words = [
            (a & 0x00FF_FFFF) | (b << 24),
            ((b >> 8) & 0xFFFF) | (c << 16),
            ((c >> 16) & 0xFF) | (d << 8),
        ];
        let (o, _) = o.as_chunks_mut::<4>();
        for (o, w) in o.iter_mut().zip(words) {
            *o = w.to_le_bytes();
        }
    }
    let mut last_alpha = u8::MAX;
    for (o, p) in out_rest.chunks_exact_mut(3).zip(rest.chunks_exact(4)) {
        o.copy_from_slice(&p[..3]);
        last_alpha &= p[3];
    }
    opaque >> 24 == 0xFF && last_alpha == u8::MAX
}

fn demultiply(p: &[u8]) -> [u8; 4] {
    let a = u16::from(p[3]);
    if a == 0 {
        return [0; 4];
    }
    let c = |v: u8| ((u16::from(v) * 255 + a / 2) / a).min(255) as u8;
    [c(p[0]), c(p[1]), c(p[2]), p[3]]
}
