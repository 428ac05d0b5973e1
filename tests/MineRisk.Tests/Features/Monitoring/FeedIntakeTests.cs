using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MineRisk.Feeds;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Monitoring;
using static MineRisk.Tests.Features.Monitoring.MonitoringKit;

namespace MineRisk.Tests.Features.Monitoring;

/// <summary>Issue 6 item 2: the two doors, the checks before anything is applied, duplicates, and the record of every refusal.</summary>
public abstract class FeedIntakeTests(AppFixture app)
{
    [Fact]
    public async Task Put_CddyThenCdss_IsAcceptedAndAppliedOnce_WithEveryReadingStored()
    {
        var mine = await NewMineAsync(app);
        await ApplyAsync(app, mine, Cddy(mine, Now(app, -120), Point("P1"), Point("P2", location: "总回风巷", alarm: 0.75, powerOff: null, restore: null)));
        var points = await app.WithDbAsync(db => db.Set<MonitoringPoint>().Where(p => p.MineId == mine.Id).OrderBy(p => p.Code).ToListAsync());
        Assert.Equal(["P1", "P2"], points.Select(p => p.Code));
        Assert.Equal("总回风巷", points[1].LawLocation);
        Assert.Null(points[1].LooseNote);

        var fileId = await ApplyAsync(app, mine, Cdss(mine, Now(app, -60), ("P1", 0.31, PointStatus.Normal), ("P2", 0.2, PointStatus.Normal)));
        var readings = await app.WithDbAsync(db => db.Set<Reading>().Where(r => r.MineId == mine.Id).OrderBy(r => r.PointId).ToListAsync());
        Assert.Equal(2, readings.Count);
        Assert.All(readings, r => Assert.Equal(fileId, r.FileId));
        Assert.All(readings, r => Assert.Equal(mine.RegionCode, r.RegionCode));
        Assert.Equal(0.31, readings[0].Value);
        Assert.Equal(Now(app, -60).UtcDateTime, readings[0].DataTime);
        Assert.DoesNotContain(await AlarmsAsync(app, mine.Id), a => a.Type != AlarmType.LooseThreshold);

        var record = await app.WithDbAsync(db => db.Set<FeedUpload>().SingleAsync(f => f.Id == fileId));
        Assert.Equal(FeedDoor.Http, record.Door);
        Assert.Equal(2, record.RecordCount);
        Assert.NotNull(record.AppliedAt);
        var archived = app.Services.GetRequiredService<FeedArchive>().Read(record.ArchivePath!);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(archived!)), record.Sha256);
    }

    [Fact]
    public async Task Put_SameFileAgain_IsDuplicate_AndNotAppliedTwice_ButSameNameOtherContentIsRefused()
    {
        var mine = await NewMineAsync(app);
        await ApplyAsync(app, mine, Cddy(mine, Now(app, -300), Point("P1")));
        var file = Cdss(mine, Now(app, -240), ("P1", 0.3, PointStatus.Normal));
        var first = await ApplyAsync(app, mine, file);

        var again = await HttpAssert.JsonAsync(await PutAsync(app, file.Name, file.Bytes, mine.Key), HttpStatusCode.OK);
        Assert.Equal("duplicate", again.GetProperty("status").GetString());
        Assert.Equal(first, again.GetProperty("fileId").GetInt64());
        await Task.Delay(300);
        Assert.Equal(1, await ReadingCountAsync(app, mine.Id));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<FeedUpload>().Where(f => f.Id == first).Select(f => f.DuplicateCount).SingleAsync()));

        var changed = Cdss(mine, Now(app, -240), ("P1", 0.9, PointStatus.Normal));
        Assert.Equal(file.Name, changed.Name);
        await HttpAssert.ProblemAsync(await PutAsync(app, changed.Name, changed.Bytes, mine.Key), HttpStatusCode.Conflict, "同名文件已于");
        Assert.Equal(1, await ReadingCountAsync(app, mine.Id));

        // The same content under another name (a sender that renamed its retry) is the same file too (DOMAIN §8: name + SHA-256).
        var renamed = Cdss(mine, Now(app, -230), ("P1", 0.3, PointStatus.Normal)).Name;
        Assert.NotEqual(file.Name, renamed);
        var sameContent = await HttpAssert.JsonAsync(await PutAsync(app, renamed, file.Bytes, mine.Key), HttpStatusCode.OK);
        Assert.Equal("duplicate", sameContent.GetProperty("status").GetString());
        Assert.Equal(first, sameContent.GetProperty("fileId").GetInt64());
        await Task.Delay(300);
        Assert.Equal(1, await ReadingCountAsync(app, mine.Id));
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<FeedUpload>().Where(f => f.Id == first).Select(f => f.DuplicateCount).SingleAsync()));
    }

    [Fact]
    public async Task Put_TheSameFileManyTimesAtOnce_IsAcceptedOnce_TheRestAreDuplicatesOfIt_CountedOnIt()
    {
        var mine = await NewMineAsync(app);
        await ApplyAsync(app, mine, Cddy(mine, Now(app, -300), Point("P1"), Point("P2")));
        var file = Cdss(mine, Now(app, -240), ("P1", 0.3, PointStatus.Normal), ("P2", 0.4, PointStatus.Normal));
        var other = Cdss(mine, Now(app, -210), ("P1", 0.3, PointStatus.Normal), ("P2", 0.4, PointStatus.Normal));

        // Sent together, most of them meet in one group commit (and some in the next): either way one record, one application.
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => i % 4 == 3 ? PutAsync(app, other.Name, other.Bytes, mine.Key) : PutAsync(app, file.Name, file.Bytes, mine.Key)));
        var answers = new List<(HttpStatusCode Status, string Name, long Id)>();
        for (var i = 0; i < responses.Length; i++)
        {
            var json = await HttpAssert.JsonAsync(responses[i], responses[i].StatusCode);
            answers.Add((responses[i].StatusCode, i % 4 == 3 ? other.Name : file.Name, json.GetProperty("fileId").GetInt64()));
        }

        foreach (var group in answers.GroupBy(a => a.Name))
        {
            Assert.Single(group, a => a.Status == HttpStatusCode.Accepted);
            Assert.All(group, a => Assert.True(a.Status is HttpStatusCode.Accepted or HttpStatusCode.OK));
            var id = Assert.Single(group.Select(a => a.Id).Distinct());
            await WaitAppliedAsync(app, id);
            Assert.Equal(group.Count() - 1, await app.WithDbAsync(db => db.Set<FeedUpload>().Where(f => f.Id == id).Select(f => f.DuplicateCount).SingleAsync()));
        }

        Assert.Equal(2, await app.WithDbAsync(db => db.Set<FeedUpload>().CountAsync(f => f.MineId == mine.Id && f.Type == FeedType.Cdss)));
        Assert.Equal(4, await ReadingCountAsync(app, mine.Id));
    }

    [Fact]
    public async Task ManyFilesAtOnce_OnceAllAreApplied_NoParsedDocumentIsLeftWaiting()
    {
        // The parsed documents are handed to the applier in memory; one handed over after its commit could be missed by an
        // applier that polled in between (it reads the archive instead) and then lie there, counted as pending readings.
        var mine = await NewMineAsync(app);
        await ApplyAsync(app, mine, Cddy(mine, Now(app, -600), Point("P1"), Point("P2")));
        var files = Enumerable.Range(0, 60).Select(i => Cdss(mine, Now(app, -590 + (i * 5)), ("P1", 0.3, PointStatus.Normal), ("P2", 0.4, PointStatus.Normal))).ToList();
        var responses = await Task.WhenAll(files.Select(f => PutAsync(app, f.Name, f.Bytes, mine.Key)));
        foreach (var response in responses)
        {
            var json = await HttpAssert.JsonAsync(response, HttpStatusCode.Accepted);
            await WaitAppliedAsync(app, json.GetProperty("fileId").GetInt64());
        }

        Assert.Equal(120, await ReadingCountAsync(app, mine.Id));
        Assert.Equal(0, app.Services.GetRequiredService<FeedPayloads>().PendingReadings);
    }

    [Fact]
    public async Task AKeyRevokedByAnotherInstance_IsRefusedHereWithinTenSeconds()
    {
        var mine = await NewMineAsync(app);
        await ApplyAsync(app, mine, Cddy(mine, Now(app, -300), Point("P1")));

        // Another instance revokes it: the row changes behind this instance's cache.
        await app.WithDbAsync(db => db.Set<UploadKey>().Where(k => k.MineId == mine.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, DateTime.UtcNow).SetProperty(k => k.RevokedByName, "另一实例")));
        app.Clock.Advance(UploadKeys.CacheFor + TimeSpan.FromSeconds(1));
        var file = Cdss(mine, Now(app, -30), ("P1", 0.3, PointStatus.Normal));
        await HttpAssert.ProblemAsync(await PutAsync(app, file.Name, file.Bytes, mine.Key), HttpStatusCode.Unauthorized, "已被吊销");
    }

    public static TheoryData<string> BadInputs() => new(
        "truncated", "no-end-marker", "header-mine-mismatch", "key-of-another-mine", "wrong-key", "revoked-key", "no-key", "future", "future-reading",
        "not-utf8", "garbage", "undefined-points", "unknown-mine", "bad-name", "too-large");

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Put_BadInput_IsRejectedWithARecordedChineseReason_NothingApplied_IntakeStaysHealthy(string kind)
    {
        var mine = await NewMineAsync(app);
        var other = kind is "key-of-another-mine" or "header-mine-mismatch" ? await NewMineAsync(app) : null;
        await ApplyAsync(app, mine, Cddy(mine, Now(app, -600), Point("P1"), Point("P2")));
        var good = Cdss(mine, Now(app, -30), ("P1", 1.8, PointStatus.Alarm | PointStatus.PowerCut), ("P2", 0.2, PointStatus.Normal));
        var name = good.Name;
        var bytes = good.Bytes;
        var key = mine.Key;
        var expected = HttpStatusCode.UnprocessableEntity;
        string reason;
        switch (kind)
        {
            case "truncated":
                bytes = bytes[..(bytes.Length / 2)];
                reason = "文件不完整";
                break;
            case "no-end-marker":
                bytes = bytes[..^2];
                reason = "没有结束标记";
                break;
            case "header-mine-mismatch":
                bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace(mine.Code + ";", other!.Code + ";", StringComparison.Ordinal));
                reason = "不一致";
                break;
            case "key-of-another-mine":
                key = other!.Key;
                reason = "上传密钥不属于煤矿";
                break;
            case "wrong-key":
                key = mine.Key[..^4] + "0000";
                expected = HttpStatusCode.Unauthorized;
                reason = "上传密钥无效";
                break;
            case "revoked-key":
                var city = await app.ApiAsAsync("city");
                var keyId = await app.WithDbAsync(db => db.Set<UploadKey>().Where(k => k.MineId == mine.Id).Select(k => k.Id).SingleAsync());
                Assert.Equal(HttpStatusCode.NoContent, (await city.DeleteAsync($"/api/v1/mines/{mine.Id}/upload-keys/{keyId}")).StatusCode);
                expected = HttpStatusCode.Unauthorized;
                reason = "已被吊销";
                break;
            case "no-key":
                key = null;
                expected = HttpStatusCode.Unauthorized;
                reason = "缺少上传密钥";
                break;
            case "future":
                var later = Now(app, 3600);
                (name, bytes) = Cdss(mine, later, ("P1", 0.2, PointStatus.Normal));
                reason = "晚于当前时间";
                break;
            case "future-reading":
                bytes = FeedFormats.Cdss.WriteToArray(new FeedHeader(mine.Code, mine.Name, Now(app, -30)), [new CdssReading("P1", "甲烷", "x", 0.2, "%CH4", PointStatus.Normal, Now(app, 7200))]);
                reason = "晚于当前时间";
                break;
            case "not-utf8":
                // 「煤矿」 in GBK (C3BA BFF3) where UTF-8 is required.
                var text = bytes.ToList();
                var at = Encoding.UTF8.GetString(bytes).IndexOf("测试位置", StringComparison.Ordinal);
                text.InsertRange(Encoding.UTF8.GetByteCount(Encoding.UTF8.GetString(bytes)[..at]), new byte[] { 0xC3, 0xBA, 0xBF, 0xF3 });
                bytes = [.. text];
                reason = "不是 UTF-8 编码";
                break;
            case "garbage":
                bytes = new byte[5000];
                new Random(6).NextBytes(bytes);
                reason = "文件";
                break;
            case "undefined-points":
                (name, bytes) = Cdss(mine, Now(app, -30), ("P1", 0.2, PointStatus.Normal), ("P9", 0.2, PointStatus.Normal), ("P8", 0.2, PointStatus.Normal));
                reason = "2 个测点未定义（P9、P8）";
                break;
            case "unknown-mine":
                name = FeedFileName.Format("530302777777", FeedType.Cdss, Now(app, -30));
                reason = "未在一矿一档中登记";
                break;
            case "bad-name":
                name = mine.Code + "_CDSS_2026.txt";
                reason = "yyyyMMddHHmmss";
                break;
            case "too-large":
                reason = "超过大小上限";
                expected = HttpStatusCode.RequestEntityTooLarge;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }

        HttpResponseMessage response;
        var produced = 0L;
        if (kind == "too-large")
        {
            // 200 MB sent without a length: intake must stop reading at its limit, not take it all in.
            var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/feeds/" + name) { Content = new StreamContent(new EndlessStream(200L * 1024 * 1024)) };
            request.Headers.Add(UploadKeys.Header, key);
            response = await app.CreateClient().SendAsync(request);

            // The test server drains a request body whatever the app does; intake itself must stop at its limit.
            var direct = new EndlessStream(200L * 1024 * 1024);
            var check = await app.Services.GetRequiredService<UploadKeys>().CheckAsync(key, CancellationToken.None);
            var result = await app.Services.GetRequiredService<FeedIntake>().SubmitAsync(name, direct, null, new FeedSender(FeedDoor.Http, Key: check), CancellationToken.None);
            Assert.Equal(IntakeOutcome.Rejected, result.Outcome);
            produced = direct.Produced;
        }
        else
        {
            response = await PutAsync(app, name, bytes, key);
        }

        var detail = await HttpAssert.ProblemAsync(response, expected, reason);
        Assert.DoesNotContain("Exception", detail);
        if (kind == "too-large")
        {
            Assert.True(produced < 40L * 1024 * 1024, $"读取了 {produced} 字节");
        }

        // Recorded, with its reason, on the mine's file list (unless the file names no registered mine).
        var recorded = await app.WithDbAsync(db => db.Set<FeedUpload>().Where(f => f.FileName == name.Substring(0, Math.Min(name.Length, 120)) && f.Status == FeedStatus.Rejected)
            .OrderByDescending(f => f.Id).FirstOrDefaultAsync());
        Assert.NotNull(recorded);
        Assert.Contains(reason, recorded.Reason);
        if (kind is not ("unknown-mine" or "bad-name"))
        {
            Assert.Equal(mine.Id, recorded.MineId);
            var admin = await app.ApiAsAsync("admin");
            var files = await HttpAssert.JsonAsync(await admin.GetAsync($"/api/v1/monitoring/mines/{mine.Id}/files?status=rejected"), HttpStatusCode.OK);
            Assert.Contains(files.GetProperty("files").GetProperty("items").EnumerateArray(), f => f.GetProperty("reason").GetString()!.Contains(reason, StringComparison.Ordinal));
        }

        // Nothing applied: no reading, no alarm (the good file would have raised 超限 and 断电).
        Assert.Equal(0, await ReadingCountAsync(app, mine.Id));
        Assert.DoesNotContain(await AlarmsAsync(app, mine.Id), a => a.Type is AlarmType.OverLimit or AlarmType.PowerOff);

        // And intake is healthy: a good file of another mine goes through at once.
        var next = await NewMineAsync(app);
        await ApplyAsync(app, next, Cddy(next, Now(app, -60), Point("Q1")));
    }

    [Fact]
    public async Task Inbox_FileInTheMinesFolder_IsAcceptedAndRemoved_AnIncompleteOneWaitsThenIsRejected()
    {
        var mine = await NewMineAsync(app);
        var inbox = app.Services.GetRequiredService<InboxWatcher>();
        var folder = Path.Combine(inbox.Root, mine.Code);
        Directory.CreateDirectory(folder);
        var cddy = Cddy(mine, Now(app, -200), Point("P1"));
        var cdss = Cdss(mine, Now(app, -100), ("P1", 0.4, PointStatus.Normal));
        await File.WriteAllBytesAsync(Path.Combine(folder, cddy.Name), cddy.Bytes);
        await File.WriteAllBytesAsync(Path.Combine(folder, cdss.Name), cdss.Bytes);
        await inbox.ScanAsync(CancellationToken.None);
        Assert.False(File.Exists(Path.Combine(folder, cdss.Name)));
        var ids = await app.WithDbAsync(db => db.Set<FeedUpload>().Where(f => f.MineId == mine.Id && f.Door == FeedDoor.Inbox).Select(f => f.Id).ToListAsync());
        Assert.Equal(2, ids.Count);
        foreach (var id in ids)
        {
            await WaitAppliedAsync(app, id);
        }

        Assert.Equal(1, await ReadingCountAsync(app, mine.Id));

        // A file still being written (no "||" yet) is left alone, then rejected after IncompleteWait, with its reason beside it.
        var partial = Cdss(mine, Now(app, -50), ("P1", 0.4, PointStatus.Normal));
        await File.WriteAllBytesAsync(Path.Combine(folder, partial.Name), partial.Bytes[..^10]);
        await inbox.ScanAsync(CancellationToken.None);
        Assert.True(File.Exists(Path.Combine(folder, partial.Name)));
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        await inbox.ScanAsync(CancellationToken.None);
        Assert.False(File.Exists(Path.Combine(folder, partial.Name)));
        var rejected = Path.Combine(inbox.Root, InboxWatcher.RejectedFolder, partial.Name);
        Assert.True(File.Exists(rejected));
        Assert.Contains("文件不完整", await File.ReadAllTextAsync(rejected + ".reason.txt"));

        // A file in another mine's folder is refused: the folder is the sender.
        var intruder = await NewMineAsync(app);
        var foreign = Cddy(intruder, Now(app, -10), Point("X1"));
        await File.WriteAllBytesAsync(Path.Combine(folder, foreign.Name), foreign.Bytes);
        await inbox.ScanAsync(CancellationToken.None);
        Assert.Contains("收件目录", await File.ReadAllTextAsync(Path.Combine(inbox.Root, InboxWatcher.RejectedFolder, foreign.Name + ".reason.txt")));
    }

    [Fact]
    public async Task UploadKeys_AreShownOnce_StoredHashed_AndOnlyRegulatorsManageThem()
    {
        var mine = await NewMineAsync(app);
        var stored = await app.WithDbAsync(db => db.Set<UploadKey>().SingleAsync(k => k.MineId == mine.Id));
        Assert.DoesNotContain(mine.Key.Split('_')[2], stored.SecretHash);
        Assert.Equal(64, stored.SecretHash.Length);

        var city = await app.ApiAsAsync("city");
        var list = await HttpAssert.JsonAsync(await city.GetAsync($"/api/v1/mines/{mine.Id}/upload-keys"), HttpStatusCode.OK);
        Assert.DoesNotContain(mine.Key, list.ToString());
        Assert.Equal(stored.KeyId, list[0].GetProperty("keyId").GetString());

        var enterprise = await app.ApiAsAsync("xinfang");
        await HttpAssert.ProblemAsync(await enterprise.PostAsJsonAsync($"/api/v1/mines/{mine.Id}/upload-keys", new { }), HttpStatusCode.Forbidden, "上传密钥");
        var leader = await app.ApiAsAsync("leader");
        await HttpAssert.ProblemAsync(await leader.PostAsJsonAsync($"/api/v1/mines/{mine.Id}/upload-keys", new { }), HttpStatusCode.Forbidden);

        // The key's creation is in the audit trail, without the secret or its hash.
        var audit = await app.WithDbAsync(db => db.AuditEntries.Where(a => a.EntityType == "upload_keys" && a.EntityId == stored.Id.ToString()).ToListAsync());
        Assert.Single(audit);
        Assert.DoesNotContain(stored.SecretHash, audit[0].After);
    }

    /// <summary>Bytes on demand, counting how many were asked for (never buffered).</summary>
    private sealed class EndlessStream(long length) : Stream
    {
        private static readonly byte[] Pattern = Encoding.UTF8.GetBytes("P1;甲烷;测试位置;0.2;%CH4;0;2026-06-15 09:59:00~");

        public long Produced { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Produced; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Produced);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = Pattern[(int)((Produced + i) % Pattern.Length)];
            }

            Produced += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public sealed class FeedIntakeTestsSqlite(SqliteApp app) : FeedIntakeTests(app), IClassFixture<SqliteApp>;

public sealed class FeedIntakeTestsPostgres(PostgresApp app) : FeedIntakeTests(app), IClassFixture<PostgresApp>;
