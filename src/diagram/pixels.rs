//! Drawn pixels to PNG rows: premultiplied RGBA from tiny-skia becomes RGB (or straight
//! RGBA when some pixel is translucent), and two rows become one row of the half-size
//! image. These loops touch every pixel, so they work on 32-bit words and are compiled
//! for AVX2 and SSE4.1 as well, picked at run time (multiversion). Dropping the alpha
//! byte is one byte shuffle per four pixels on any x86-64 CPU with SSSE3, which the
//! compiler does not find by itself; that one loop is written with its intrinsic.

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
fn pack(rgba: &[u8], out: &mut [u8], alpha: bool) -> bool {
    #[cfg(target_arch = "x86_64")]
    if !alpha && std::arch::is_x86_feature_detected!("ssse3") {
        // SAFETY: `rgb_ssse3` only needs SSSE3, which this CPU has (checked just above).
        return unsafe { rgb_ssse3(rgba, out) };
    }
    pack_words(rgba, out, alpha)
}

/// RGB from opaque RGBA, four pixels per byte shuffle; false when some pixel is not
/// opaque. Every load and store goes through checked slices: the only unsafe part is
/// calling it on a CPU without SSSE3, which `pack` rules out.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "ssse3")]
fn rgb_ssse3(rgba: &[u8], out: &mut [u8]) -> bool {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_set1_epi8, _mm_setr_epi8, _mm_shuffle_epi8,
    };
    // Byte i of the result is byte KEEP[i] of the four pixels; -1 gives 0.
    let keep = _mm_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1);
    let mut all = _mm_set1_epi8(-1);
    let (quads, rest) = rgba.as_chunks::<16>();
    let (outs, out_rest) = out.as_chunks_mut::<12>();
    for (o, q) in outs.iter_mut().zip(quads) {
        let v: __m128i = bytemuck::cast(*q);
        all = _mm_and_si128(all, v);
        let rgb: [u8; 16] = bytemuck::cast(_mm_shuffle_epi8(v, keep));
        o.copy_from_slice(&rgb[..12]);
    }
    let all: [u32; 4] = bytemuck::cast(all);
    let opaque = all.iter().fold(u32::MAX, |a, &w| a & w) >> 24 == 0xFF;
    pack_words(rest, out_rest, false) && opaque
}

#[multiversion::multiversion(targets("x86_64+avx2", "x86_64+sse4.1"))]
fn pack_words(rgba: &[u8], out: &mut [u8], alpha: bool) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Opaque RGBA pixels with varied colours.
    fn opaque(n: usize) -> Vec<u8> {
        (0..n * 4)
            .map(|i| {
                if i % 4 == 3 {
                    255
                } else {
                    (i * 37 % 251) as u8
                }
            })
            .collect()
    }

    #[test]
    fn rgb_is_the_pixels_without_alpha_at_every_width() {
        for n in 0..40 {
            let rgba = opaque(n);
            let want: Vec<u8> = rgba.chunks(4).flat_map(|p| p[..3].to_vec()).collect();
            let mut out = vec![0; n * 3];
            assert!(pack(&rgba, &mut out, false), "{n} pixels");
            assert_eq!(out, want, "{n} pixels");
            let mut words = vec![0; n * 3];
            assert!(pack_words(&rgba, &mut words, false));
            assert_eq!(words, want, "{n} pixels");
        }
    }

    #[test]
    fn one_translucent_pixel_anywhere_refuses_rgb() {
        for n in 1..24 {
            for at in 0..n {
                let mut rgba = opaque(n);
                rgba[at * 4 + 3] = 254;
                let mut out = vec![0; n * 3];
                assert!(!pack(&rgba, &mut out, false), "pixel {at} of {n}");
                assert!(!pack_words(&rgba, &mut out, false), "pixel {at} of {n}");
            }
        }
    }
}
