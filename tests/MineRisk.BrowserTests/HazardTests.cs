using System.Net.Http.Json;
using Microsoft.Playwright;
using MineRisk.Tests.Infrastructure;
using MineRisk.Tests.Features.Mines;
using MineRisk.Web.Platform.Auth;
using static Microsoft.Playwright.Assertions;

namespace MineRisk.BrowserTests;

/// <summary>
/// Issue 5's Chromium scenarios: an enterprise self-reports a hazard with a photo, fixes it, the county verifies it and it
/// is 已销号 with its timeline; a major hazard is graded, planned, 挂牌督办, fixed, verified by the city and 销牌 by the county.
/// </summary>
public sealed class HazardTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static FilePayload Photo(string name) => new() { Name = name, MimeType = "image/png", Buffer = TestImages.Png };

    private static async Task NoSidewaysScrollAsync(IPage page, string what) =>
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), $"手机宽度下{what}出现横向滚动");

    [Fact]
    public async Task Enterprise_SelfReportsWithAPhotoAndFixesIt_TheCountyVerifies_AndTheTimelineShowsEveryStep()
    {
        await app.CreateUserAsync("county.fuyuan", Roles.CountyRegulator, "富源县应急管理局");

        // 1. The enterprise registers what its own check found, with a photo of the place.
        var enterprise = await app.NewPageAsync(BrowserFixture.Desktop);
        await app.LoginAsync(enterprise, "enterprise.demo");
        await enterprise.GotoAsync("/hazards/new");
        await Expect(enterprise.Locator("h1")).ToContainTextAsync("自查自改自报");
        var mineOption = enterprise.Locator("#Form_MineId option").Nth(1);
        await enterprise.Locator("#Form_MineId").SelectOptionAsync(new SelectOptionValue { Value = await mineOption.GetAttributeAsync("value") });
        await enterprise.Locator("#Form_ProfessionalCategory").SelectOptionAsync("机电");
        await enterprise.Locator("#Form_Location").FillAsync("主斜井带式输送机机头");
        await enterprise.Locator("#Form_Description").FillAsync("带式输送机机头防护栏缺失，滚筒外露");
        await enterprise.Locator("#Form_Measures").FillAsync("加装防护栏");
        await enterprise.Locator("#Form_Deadline").FillAsync("2026-06-20");
        await enterprise.Locator("#photos").SetInputFilesAsync(Photo("机头现场.png"));
        await BrowserFixture.ShotAsync(enterprise, "40-hazard-self-report");
        await enterprise.GetByTestId("hazard-save").ClickAsync();
        await Expect(enterprise.GetByTestId("hazard-state")).ToHaveTextAsync("已登记");
        await Expect(enterprise.GetByTestId("photos-before").Locator("img")).ToHaveCountAsync(1);
        var hazardUrl = enterprise.Url;

        // 2. It grades it as 一般, fixes it and submits it with the photo after; it cannot verify its own fix.
        await enterprise.GetByTestId("action-grade").ClickAsync();
        await Expect(enterprise.GetByTestId("hazard-state")).ToHaveTextAsync("已定级");
        await enterprise.GetByTestId("action-start").ClickAsync();
        await Expect(enterprise.GetByTestId("hazard-state")).ToHaveTextAsync("整改中");
        await enterprise.GetByTestId("form-submit").Locator("textarea").FillAsync("已加装 1.2 m 防护栏并挂警示牌");
        await enterprise.Locator("#after-files").SetInputFilesAsync(Photo("防护栏.png"));
        await enterprise.GetByTestId("action-submit").ClickAsync();
        await Expect(enterprise.GetByTestId("hazard-state")).ToHaveTextAsync("待验收");
        await Expect(enterprise.GetByTestId("photos-after").Locator("img")).ToHaveCountAsync(1);
        await Expect(enterprise.GetByTestId("form-verify")).ToHaveCountAsync(0);
        await Expect(enterprise.GetByTestId("awaiting-verification")).ToBeVisibleAsync();

        // 3. The county regulator sees it at once in the ledger and verifies it.
        var county = await app.NewPageAsync(BrowserFixture.Desktop);
        await app.LoginAsync(county, "county.fuyuan");
        await county.GotoAsync("/hazards/list?source=selfCheck&state=awaitingVerification");
        await Expect(county.GetByTestId("hazards-table")).ToContainTextAsync("主斜井");
        await county.GotoAsync(hazardUrl);
        await county.GetByTestId("form-verify").Locator("textarea").FillAsync("现场核查防护栏牢固，同意销号");
        await county.GetByTestId("action-verify-pass").ClickAsync();
        await Expect(county.GetByTestId("hazard-state")).ToHaveTextAsync("已销号");
        await Expect(county.GetByTestId("hazard-verification")).ToContainTextAsync("county.fuyuan");
        var timeline = county.GetByTestId("timeline");
        foreach (var step in (string[])["登记", "定级", "开始整改", "提交验收", "验收通过，销号"])
        {
            await Expect(timeline).ToContainTextAsync(step);
        }

        await Expect(timeline.Locator("img")).ToHaveCountAsync(2);
        await BrowserFixture.ShotAsync(county, "41-hazard-closed");
    }

    [Fact]
    public async Task MajorHazard_IsPlannedListedFixedVerifiedAndDelisted()
    {
        var api = await app.ApiAsAsync("county.qilin");
        var (mineId, _) = await MineBuilder.CreateAsync(app, api, MineBuilder.Valid(await MineBuilder.QilinEnterpriseAsync(app)));

        var county = await app.NewPageAsync(BrowserFixture.Desktop);
        await app.LoginAsync(county, "county.qilin");
        await county.GotoAsync($"/hazards/new?mineId={mineId}");
        await county.Locator("#Form_ProfessionalCategory").SelectOptionAsync("瓦斯");
        await county.Locator("#Form_Location").FillAsync("3102 综采工作面回风隅角");
        await county.Locator("#Form_Description").FillAsync("回风隅角瓦斯浓度 1.6%，未停止作业");
        await county.Locator("#Form_Deadline").FillAsync("2026-07-15");
        await county.GetByTestId("level-major").CheckAsync();
        await county.GetByTestId("hazard-save").ClickAsync();
        await Expect(county.GetByTestId("hazard-form").Locator(".field-validation-error").First).ToContainTextAsync("须选择判定依据");
        await county.Locator("#Form_CriterionId").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await county.Locator("#Form_StoppedArea").FillAsync("3102 综采工作面");
        await county.GetByTestId("hazard-save").ClickAsync();
        await Expect(county.GetByTestId("hazard-state")).ToHaveTextAsync("已定级");
        await Expect(county.GetByTestId("major-info")).ToContainTextAsync("2020版第四条第（一）项");
        await Expect(county.GetByTestId("form-start")).ToHaveCountAsync(0); // no plan yet
        var hazardUrl = county.Url;

        var plan = county.GetByTestId("form-plan");
        await plan.Locator("#planGoal").FillAsync("消除回风隅角瓦斯积聚");
        await plan.Locator("#planMethods").FillAsync("调整风量，安设隅角抽采管");
        await plan.GetByTestId("action-plan").ClickAsync();
        await Expect(county.Locator(".alert-danger")).ToContainTextAsync("经费");
        await plan.Locator("#planResources").FillAsync("资金 60 万元");
        await plan.Locator("#planPeople").FillAsync("通风副总牵头，通风队 10 人");
        await plan.Locator("#planDueOn").FillAsync("2026-07-10");
        await plan.Locator("#planSafety").FillAsync("停产撤人、设警戒，瓦斯异常应急预案");
        await plan.GetByTestId("action-plan").ClickAsync();
        await Expect(county.GetByTestId("plan")).ToContainTextAsync("资金 60 万元");

        await county.Locator("#documentNumber").FillAsync("麒应急督〔2026〕7号");
        await county.Locator("#list-deadline").FillAsync("2026-07-15");
        await county.GetByTestId("action-list").ClickAsync();
        await Expect(county.GetByTestId("hazard-listed")).ToBeVisibleAsync();
        await county.GetByTestId("action-start").ClickAsync();
        await county.GetByTestId("form-submit").Locator("textarea").FillAsync("抽采管已安设，隅角瓦斯 0.4%");
        await county.GetByTestId("action-submit").ClickAsync();
        await Expect(county.GetByTestId("hazard-state")).ToHaveTextAsync("待验收");
        await BrowserFixture.ShotAsync(county, "42-major-awaiting");

        var city = await app.NewPageAsync(BrowserFixture.Desktop);
        await app.LoginAsync(city, "city");
        await city.GotoAsync("/hazards");
        await Expect(city.GetByTestId("listed-table")).ToContainTextAsync("2020版第四条第（一）项");
        await BrowserFixture.ShotAsync(city, "43-hazards-overview");
        await city.GotoAsync(hazardUrl);
        await city.GetByTestId("form-verify").Locator("textarea").FillAsync("现场验收合格");
        await city.GetByTestId("action-verify-pass").ClickAsync();
        await Expect(city.GetByTestId("hazard-state")).ToHaveTextAsync("已销号");
        await Expect(city.GetByTestId("form-delist")).ToHaveCountAsync(0); // the county listed it: only the county lifts it

        await county.ReloadAsync();
        await county.GetByTestId("form-delist").Locator("input[name=note]").FillAsync("整改到位，同意销牌");
        await county.GetByTestId("action-delist").ClickAsync();
        await Expect(county.GetByTestId("hazard-delisted")).ToBeVisibleAsync();
        await Expect(county.GetByTestId("timeline")).ToContainTextAsync("销牌");
        await BrowserFixture.ShotAsync(county, "44-major-delisted");
    }

    [Fact]
    public async Task HazardPages_AtPhoneWidth_HaveNoSidewaysScroll()
    {
        var page = await app.NewPageAsync(BrowserFixture.Phone);
        await app.LoginAsync(page, "county.qilin");
        foreach (var (url, name) in (ValueTuple<string, string>[])[("/hazards", "45-hazards-phone"), ("/hazards/list", "46-hazard-list-phone"),
                     ("/hazards/new", "47-hazard-new-phone"), ("/hazards/revisits", "48-revisits-phone")])
        {
            await page.GotoAsync(url);
            await BrowserFixture.ShotAsync(page, name);
            await NoSidewaysScrollAsync(page, url);
        }

        var api = await app.ApiAsAsync("county.qilin");
        var (mineId, _) = await MineBuilder.CreateAsync(app, api, MineBuilder.Valid(await MineBuilder.QilinEnterpriseAsync(app)));
        var created = await api.PostAsJsonAsync("/api/v1/hazards", new
        {
            mineId, location = "1201 运输巷", description = "巷道顶板锚杆托盘松动 6 根，局部网兜", source = "inspection", professionalCategory = "顶板", deadline = "2026-06-25",
        });
        var id = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        await page.GotoAsync($"/hazards/{id}");
        await Expect(page.GetByTestId("form-grade")).ToBeVisibleAsync();
        await BrowserFixture.ShotAsync(page, "49-hazard-phone");
        await NoSidewaysScrollAsync(page, "隐患页");
    }
}
