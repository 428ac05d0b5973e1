using MineRisk.Web.Platform.Attachments;

namespace MineRisk.Tests.Platform.Unit;

public sealed class FileSignaturesTests
{
    public static TheoryData<byte[], DetectedType> Samples => new()
    {
        { [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F'], DetectedType.Jpeg },
        { [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], DetectedType.Png },
        { "GIF89a...."u8.ToArray(), DetectedType.Gif },
        { "RIFF\0\0\0\0WEBPVP8 "u8.ToArray(), DetectedType.Webp },
        { "%PDF-1.7\n"u8.ToArray(), DetectedType.Pdf },
        { [0x50, 0x4B, 0x03, 0x04, 0x14, 0], DetectedType.OfficeZip },
        { [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], DetectedType.OfficeOle },
        { "MZ\x90\0\x03\0"u8.ToArray(), DetectedType.Executable },
        { [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1], DetectedType.Executable },
        { "#!/bin/sh\nrm -rf /"u8.ToArray(), DetectedType.Executable },
        { [0xCF, 0xFA, 0xED, 0xFE, 7, 0, 0, 1], DetectedType.Executable },
        { "hello"u8.ToArray(), DetectedType.Unknown },
        { Array.Empty<byte>(), DetectedType.Unknown },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Detect_ReadsTheMagicNumber(byte[] head, DetectedType expected) =>
        Assert.Equal(expected, FileSignatures.Detect(head));
}
