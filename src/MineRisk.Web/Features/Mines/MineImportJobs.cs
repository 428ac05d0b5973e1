using System.Collections.Concurrent;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Mines;

/// <summary>
/// Imports started from the page run in the background so the page can show their progress (large files take a
/// while). The job acts with the jurisdiction and name of the user who started it. Progress lives in this process's
/// memory only; the imported data is in the database like any other change.
/// </summary>
public sealed partial class MineImportJobs(IServiceScopeFactory scopes, TimeProvider clock, ILogger<MineImportJobs> logger)
{
    private readonly ConcurrentDictionary<Guid, Job> _jobs = new();

    public sealed class Job : IProgress<ImportProgress>
    {
        public Guid Id { get; } = Guid.NewGuid();

        public required long OwnerId { get; init; }

        public required string FileName { get; init; }

        public required bool DryRun { get; init; }

        public required DateTime StartedAt { get; init; }

        public ImportProgress Progress { get; private set; } = new("排队", 0, 0);

        public ImportReport? Outcome { get; set; }

        public string? Failure { get; set; }

        public bool Finished => Outcome is not null || Failure is not null;

        public int Percent => Progress.Total == 0 ? 0 : Math.Min(100, 100 * Progress.Done / Progress.Total);

        void IProgress<ImportProgress>.Report(ImportProgress value) => Progress = value;
    }

    public Job Start(byte[] file, string fileName, bool dryRun, CurrentUser user)
    {
        foreach (var old in _jobs.Values.Where(j => j.StartedAt < clock.GetUtcNow().UtcDateTime.AddHours(-2)))
        {
            _jobs.TryRemove(old.Id, out _);
        }

        var job = new Job { OwnerId = user.Id!.Value, FileName = fileName, DryRun = dryRun, StartedAt = clock.GetUtcNow().UtcDateTime };
        _jobs[job.Id] = job;
        var scope = user.Scope;
        var actor = (user.Id, user.DisplayName);
        _ = Task.Run(async () =>
        {
            try
            {
                await using var services = scopes.CreateAsyncScope();
                var db = services.ServiceProvider.GetRequiredService<AppDbContext>();
                db.Scope = scope;
                db.Actor = actor;
                var importer = services.ServiceProvider.GetRequiredService<MineImporter>();
                job.Outcome = await importer.ImportAsync(new MemoryStream(file), dryRun, job, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogImportFailed(ex, fileName);
                job.Failure = "导入过程中出错，未导入任何数据（已记录日志）。请稍后重试或联系管理员。";
            }
        });
        return job;
    }

    /// <summary>A job of this user (others' jobs are not found).</summary>
    public Job? Find(Guid id, long userId) => _jobs.TryGetValue(id, out var job) && job.OwnerId == userId ? job : null;

    [LoggerMessage(Level = LogLevel.Error, Message = "导入 {FileName} 失败")]
    private partial void LogImportFailed(Exception ex, string fileName);
}
