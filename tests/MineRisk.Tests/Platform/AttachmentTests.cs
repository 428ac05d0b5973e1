using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Platform.Auth;

namespace MineRisk.Tests.Platform;

public abstract class AttachmentTests(AppFixture app)
{
    private static MultipartFormDataContent Form(byte[] bytes, string fileName, string? kind = "image")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        if (kind is not null)
        {
            form.Add(new StringContent(kind), "kind");
        }

        return form;
    }

    private Task<int> CountAsync() => app.WithDbAsync(db => db.Attachments.CountAsync());

    private int StoredFiles() => Directory.Exists(Path.Combine(app.Database.Directory, "attachments"))
        ? Directory.GetFiles(Path.Combine(app.Database.Directory, "attachments"), "*", SearchOption.AllDirectories).Count(f => !f.Contains($"{Path.DirectorySeparatorChar}tmp{Path.DirectorySeparatorChar}"))
        : 0;

    [Fact]
    public async Task Upload_AnImage_StoresItOnceByContentAndServesItBack()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var unique = TestImages.Png.Concat(Guid.NewGuid().ToByteArray()).ToArray(); // trailing bytes after IEND keep it a valid PNG
        var created = await HttpAssert.JsonAsync(await client.PostAsync("/api/v1/attachments", Form(unique, "整改前.png")), HttpStatusCode.Created);
        Assert.Equal("整改前.png", created.GetProperty("fileName").GetString());
        Assert.Equal("image/png", created.GetProperty("contentType").GetString());
        Assert.Equal(unique.Length, created.GetProperty("size").GetInt64());
        var sha = created.GetProperty("sha256").GetString()!;
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(unique)), sha);
        Assert.True(File.Exists(Path.Combine(app.Database.Directory, "attachments", sha[..2], sha)));

        var download = await client.GetAsync(created.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(unique, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());

        var files = StoredFiles();
        var again = await HttpAssert.JsonAsync(await client.PostAsync("/api/v1/attachments", Form(unique, "整改前-副本.png")), HttpStatusCode.Created);
        Assert.Equal(sha, again.GetProperty("sha256").GetString());
        Assert.Equal(files, StoredFiles());
    }

    [Fact]
    public async Task Upload_OverTenMegabytes_Is413AndStoresNothing()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var (rows, files) = (await CountAsync(), StoredFiles());
        var big = new byte[(10 * 1024 * 1024) + 1];
        TestImages.Png.CopyTo(big, 0);
        await HttpAssert.ProblemAsync(await client.PostAsync("/api/v1/attachments", Form(big, "大图.png")), HttpStatusCode.RequestEntityTooLarge, "10 MB");
        Assert.Equal(rows, await CountAsync());
        Assert.Equal(files, StoredFiles());
    }

    [Fact]
    public async Task Upload_ARenamedExecutable_Is415AndStoresNothing()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var rows = await CountAsync();
        var exe = "MZ\u0090\0\u0003\0\0\0\u0004\0\0\0"u8.ToArray().Concat(new byte[2048]).ToArray();
        await HttpAssert.ProblemAsync(await client.PostAsync("/api/v1/attachments", Form(exe, "现场照片.jpg")), HttpStatusCode.UnsupportedMediaType, "可执行程序");
        var elf = new byte[] { 0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0 }.Concat(new byte[512]).ToArray();
        await HttpAssert.ProblemAsync(await client.PostAsync("/api/v1/attachments", Form(elf, "photo.png")), HttpStatusCode.UnsupportedMediaType, "可执行程序");
        Assert.Equal(rows, await CountAsync());
    }

    [Fact]
    public async Task Upload_ContentNotMatchingItsName_Is415()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var pdf = "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n"u8.ToArray();
        await HttpAssert.ProblemAsync(await client.PostAsync("/api/v1/attachments", Form(pdf, "照片.png")), HttpStatusCode.UnsupportedMediaType, "与扩展名「.png」不符");
        await HttpAssert.ProblemAsync(await client.PostAsync("/api/v1/attachments", Form(pdf, "报告.pdf", "image")), HttpStatusCode.UnsupportedMediaType, "只能上传图片");
        await HttpAssert.ProblemAsync(await client.PostAsync("/api/v1/attachments", Form(pdf, "tool.exe", null)), HttpStatusCode.UnsupportedMediaType, "不支持的文件类型");
        var created = await client.PostAsync("/api/v1/attachments", Form(pdf, "报告.pdf", "document"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task Upload_WithoutAFile_Is400InChinese()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var form = new MultipartFormDataContent { { new StringContent("image"), "kind" } };
        await HttpAssert.ProblemAsync(await client.PostAsync("/api/v1/attachments", form), HttpStatusCode.BadRequest, "请选择要上传的文件");
        await HttpAssert.ProblemAsync(await client.PostAsync("/api/v1/attachments", new StringContent("{}")), HttpStatusCode.BadRequest, "multipart");
    }

    [Fact]
    public async Task AnotherUsersUnattachedUpload_IsNotFound()
    {
        var owner = await app.ApiAsAsync("county.qilin");
        var created = await HttpAssert.JsonAsync(await owner.PostAsync("/api/v1/attachments", Form(TestImages.Png.Concat(Guid.NewGuid().ToByteArray()).ToArray(), "a.png")), HttpStatusCode.Created);
        var other = await app.ApiAsAsync("county.xuanwei");
        await HttpAssert.ProblemAsync(await other.GetAsync(created.GetProperty("url").GetString()), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Leader_CannotUpload()
    {
        var leader = await app.ApiAsAsync("leader");
        await HttpAssert.ProblemAsync(await leader.PostAsync("/api/v1/attachments", Form(TestImages.Png, "a.png")), HttpStatusCode.Forbidden, "只读");
    }

    [Fact]
    public async Task CookieCaller_WithoutAntiforgeryToken_IsRefused_WithTheToken_Succeeds()
    {
        var browser = await app.BrowserAsAsync("county.qilin");
        var rows = await CountAsync();
        await HttpAssert.ProblemAsync(await browser.PostAsync("/api/v1/attachments", Form(TestImages.Png, "a.png")), HttpStatusCode.BadRequest, "防伪令牌");
        Assert.Equal(rows, await CountAsync());

        var token = await AppFixture.AntiforgeryTokenAsync(browser, "/");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/attachments") { Content = Form(TestImages.Png.Concat(Guid.NewGuid().ToByteArray()).ToArray(), "a.png") };
        request.Headers.Add("RequestVerificationToken", token);
        Assert.Equal(HttpStatusCode.Created, (await browser.SendAsync(request)).StatusCode);
    }
}

public sealed class AttachmentTestsSqlite(SqliteApp app) : AttachmentTests(app), IClassFixture<SqliteApp>;

public sealed class AttachmentTestsPostgres(PostgresApp app) : AttachmentTests(app), IClassFixture<PostgresApp>;
