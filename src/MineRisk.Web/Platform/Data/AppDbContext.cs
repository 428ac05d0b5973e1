using System.Linq.Expressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Attachments;
using MineRisk.Web.Platform.Audit;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Deadlines;
using MineRisk.Web.Platform.Notifications;
using MineRisk.Web.Platform.Regions;
using MineRisk.Web.Platform.Workflow;

namespace MineRisk.Web.Platform.Data;

/// <summary>
/// The one database context. Modules add their entities with <see cref="IEntityTypeConfiguration{T}"/> classes in
/// their own folders (picked up from the assembly). Two rules live here and nowhere else:
/// jurisdiction (a query filter on every <see cref="IScoped"/> entity) and the audit trail (every save).
/// </summary>
public sealed class AppDbContext : IdentityDbContext<AppUser, AppRole, long>
{
    private readonly List<AuditEvent> _events = [];
    private CurrentUser? _currentUser;
    private TimeProvider _clock = TimeProvider.System;
    private IReadOnlyList<ISaveHook> _hooks = [];
    private UserScope? _scope;
    private (long? Id, string Name)? _actor;

    /// <summary>
    /// The only constructor, as the context pool requires (<see cref="DatabaseSetup"/>): <see cref="Bind"/> gives a
    /// context its user; unbound, it sees nothing and keeps time by the system clock.
    /// </summary>
    public AppDbContext(DbContextOptions<AppDbContext> options)
        : base(options)
    {
    }

    /// <summary>
    /// Who this context works for, set each time it is taken from the pool; everything a previous user left behind
    /// (scope, actor, unsaved audit events) is cleared here, the change tracker by EF Core itself.
    /// </summary>
    public void Bind(TimeProvider clock, CurrentUser? currentUser, IReadOnlyList<ISaveHook> hooks)
    {
        _clock = clock;
        _currentUser = currentUser;
        _hooks = hooks;
        _scope = null;
        _actor = null;
        _events.Clear();
        AuditEnabled = true;
    }

    public DbSet<Region> Regions => Set<Region>();

    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<Deadline> Deadlines => Set<Deadline>();

    public DbSet<DeadlineEscalation> DeadlineEscalations => Set<DeadlineEscalation>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<Attachment> Attachments => Set<Attachment>();

    public DbSet<TimelineEntry> Timeline => Set<TimelineEntry>();

    /// <summary>
    /// The jurisdiction every query of this context is filtered by: the current user's, unless set explicitly
    /// (background work sets <see cref="UserScope.System"/>). Without a user it is <see cref="UserScope.Nothing"/>.
    /// </summary>
    public UserScope Scope
    {
        get => _scope ??= _currentUser?.Scope ?? UserScope.Nothing;
        set => _scope = value;
    }

    /// <summary>Who the audit trail names for this context's changes (default: the current user, else 系统).</summary>
    public (long? Id, string Name) Actor
    {
        get => _actor ??= _currentUser is { IsAuthenticated: true } u ? (u.Id, u.DisplayName) : (null, "系统");
        set => _actor = value;
    }

    /// <summary>When false, saves skip the audit trail (bulk demo seeding only; never for user actions).</summary>
    public bool AuditEnabled { get; set; } = true;

    // Parameters of the query filters, read per query from this instance.
    private string ScopeLow => Scope.Low;

    private string ScopeHigh => Scope.High;

    private bool ScopeAllRegions => Scope.AllRegions;

    private long? ScopeEnterpriseId => Scope.EnterpriseId;

    private long? ScopeUserId => Scope.UserId;

    private bool ScopeAllUsers => Scope.AllUsers;

    /// <summary>Records an event (not a row change) in the audit trail with the next save.</summary>
    public void AuditEvent(AuditEvent e) => _events.Add(e);

    public bool IsPostgres => Database.IsNpgsql();

    /// <summary>
    /// <paramref name="rows"/> with the jurisdiction's region range repeated as a plain condition, on SQLite and for a
    /// regional scope only — for lists whose best way in is the region index. The query filter already holds the range, but on
    /// SQLite behind the flag parameter (<c>@all OR range</c>, see <see cref="ScopeFilter{T}"/>), which SQLite cannot seek:
    /// a city's page of the registry walked the code index past 2,910 mines of other regions (0.69 ms) and its count read
    /// the table (0.63 ms), where the range takes 0.20 and 0.03 ms (nation demo data). Not for every table: on the
    /// hazards a city's range was the worse index for SQLite (the closure check, 72 → 348 ms), so each list opts in.
    /// Changes nothing of what is visible; PostgreSQL gets the bare range from the filter itself.
    /// </summary>
    public IQueryable<T> SeekScope<T>(IQueryable<T> rows) where T : class, IScoped
    {
        if (SeekRange is not var (low, high))
        {
            return rows;
        }

        return rows.WithinRange(() => low, () => high);
    }

    /// <summary>The range <see cref="SeekScope{T}"/> repeats (SQLite and a regional scope), or null where it repeats none.</summary>
    public (string Low, string High)? SeekRange => IsPostgres || Scope.AllRegions ? null : (Scope.Low, Scope.High);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<AppUser>().ToTable("users");
        builder.Entity<AppRole>().ToTable("roles");
        builder.Entity<IdentityUserRole<long>>().ToTable("user_roles");
        builder.Entity<IdentityUserClaim<long>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<long>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<long>>().ToTable("user_tokens");
        builder.Entity<IdentityRoleClaim<long>>().ToTable("role_claims");
        builder.Entity<AppUser>(b =>
        {
            b.Property(u => u.DisplayName).HasMaxLength(50);
            b.HasOne(u => u.Organisation).WithMany().HasForeignKey(u => u.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

        var postgres = Database.IsNpgsql();
        ApplyScopeFilters(builder, postgres);
        ModelConventions.Apply(builder, postgres);
    }

    /// <summary>
    /// Jurisdiction, enforced once for every query (DESIGN §1): an <see cref="IScoped"/> row is visible when its
    /// region code lies in the scope's range and, for enterprise users, it belongs to their enterprise.
    /// </summary>
    private void ApplyScopeFilters(ModelBuilder builder, bool postgres)
    {
        LambdaExpression Fit(LambdaExpression filter) => postgres ? filter : (LambdaExpression)new FlagsAsParameters().Visit(filter);
        Expression<Func<T, bool>> For<T>(Expression<Func<T, bool>> filter) => (Expression<Func<T, bool>>)Fit(filter);

        foreach (var entityType in builder.Model.GetEntityTypes().Where(t => typeof(IScoped).IsAssignableFrom(t.ClrType) && t.BaseType is null))
        {
            var filter = (LambdaExpression)typeof(AppDbContext).GetMethod(nameof(ScopeFilter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(entityType.ClrType).Invoke(this, null)!;
            builder.Entity(entityType.ClrType).HasQueryFilter(Fit(filter));
        }

        builder.Entity<Region>().HasQueryFilter(For<Region>(r =>
            EF.Constant(ScopeAllRegions) || (string.Compare(r.Code, ScopeLow) >= 0 && string.Compare(r.Code, ScopeHigh) < 0)));
        builder.Entity<Notification>().HasQueryFilter(For<Notification>(n => EF.Constant(ScopeAllUsers) || n.UserId == ScopeUserId));
        builder.Entity<Attachment>().HasQueryFilter(For<Attachment>(a => EF.Constant(ScopeAllUsers) || a.UploadedById == ScopeUserId
            || (a.RegionCode != null && string.Compare(a.RegionCode, ScopeLow) >= 0 && string.Compare(a.RegionCode, ScopeHigh) < 0
                && (EF.Constant(ScopeEnterpriseId == null) || a.EnterpriseId == ScopeEnterpriseId))));
        builder.Entity<AuditEntry>().HasQueryFilter(For<AuditEntry>(a => EF.Constant(ScopeAllUsers) || a.RegionCode == null
            || (string.Compare(a.RegionCode, ScopeLow) >= 0 && string.Compare(a.RegionCode, ScopeHigh) < 0)));
    }

    // The kind of scope (every region or a range; an enterprise or not) is a flag. On PostgreSQL it goes into the SQL as
    // EF.Constant, so each statement holds only the conditions its scope needs and EF caches one translation per kind:
    // with "@flag OR range" PostgreSQL re-plans a prepared statement on every execution (a generic plan of it cannot use
    // the index), and it estimates a range from its histograms. On SQLite the flag stays a parameter (FlagsAsParameters):
    // SQLite then never seeks the scope's bounds — without range statistics it took a city's region range over a far
    // more selective index (the closure check of /hazards as city: 72 → 348 ms, bench/hazards.sh), and ["", "~") over
    // a query's own region filter (bench/stability.sh). A scope of every region puts no bound on region codes on either.
    private Expression<Func<T, bool>> ScopeFilter<T>() where T : class, IScoped =>
        e => (EF.Constant(ScopeAllRegions) || (string.Compare(e.RegionCode, ScopeLow) >= 0 && string.Compare(e.RegionCode, ScopeHigh) < 0))
             && (EF.Constant(ScopeEnterpriseId == null) || e.EnterpriseId == ScopeEnterpriseId);

    /// <summary>Turns <c>EF.Constant(flag)</c> back into <c>flag</c>: a parameter of the statement, for SQLite (see <see cref="ScopeFilter{T}"/>).</summary>
    private sealed class FlagsAsParameters : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node) =>
            node.Method.DeclaringType == typeof(EF) && node.Method.Name == nameof(EF.Constant) ? Visit(node.Arguments[0]) : base.VisitMethodCall(node);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    /// <summary>
    /// Saves the changes, the rows derived from them (<see cref="ISaveHook"/>) and their audit entries in one transaction:
    /// the business rows first (so generated keys are known), then the derived rows, then the audit entries appended to
    /// the chain under its lock, then commit.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var derived = _hooks.Select(h => h.Prepare(ChangeTracker)).OfType<Func<AppDbContext, CancellationToken, Task>>().ToList();
        var pending = AuditEnabled ? AuditRecorder.Capture(ChangeTracker) : null;
        var audited = pending is not null && (pending.Count > 0 || _events.Count > 0);
        if (!audited && derived.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        var ownTransaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
            foreach (var write in derived)
            {
                await write(this, cancellationToken);
            }

            if (audited)
            {
                var (actorId, actorName) = Actor;
                var entries = AuditRecorder.Complete(pending!, _events, actorId, actorName, _clock.GetUtcNow().UtcDateTime);
                ChangeTracker.AcceptAllChanges();
                _events.Clear();
                await AuditRecorder.AppendAsync(this, entries, ct => base.SaveChangesAsync(true, ct), cancellationToken);
            }
            else if (acceptAllChangesOnSuccess)
            {
                ChangeTracker.AcceptAllChanges();
            }

            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }

            return written;
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }
    }
}
