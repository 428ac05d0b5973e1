namespace MineRisk.Feeds;

/// <summary>zh-CN display names for the coded values of the feeds.</summary>
public static class DisplayNames
{
    private static readonly (PointStatus Flag, string Name)[] StatusNames =
    [
        (PointStatus.Alarm, "报警"),
        (PointStatus.PowerCut, "断电"),
        (PointStatus.Calibrating, "标校"),
        (PointStatus.OverRange, "超量程"),
        (PointStatus.SubstationFault, "分站故障"),
        (PointStatus.NotPolled, "不巡检"),
        (PointStatus.Paused, "暂停"),
        (PointStatus.SensorFault, "传感器故障"),
    ];

    /// <summary>"正常", or the set bits joined by "、" in bit order, e.g. "报警、断电".</summary>
    public static string ToDisplayName(this PointStatus status)
    {
        if (status == PointStatus.Normal)
        {
            return "正常";
        }

        var names = new List<string>(2);
        foreach (var (flag, name) in StatusNames)
        {
            if ((status & flag) != 0)
            {
                names.Add(name);
            }
        }

        return string.Join("、", names);
    }

    /// <summary>e.g. "超限"; the code number for a value outside 001–010.</summary>
    public static string ToDisplayName(this AlarmKind kind) => kind switch
    {
        AlarmKind.OverLimit => "超限",
        AlarmKind.PowerCut => "断电",
        AlarmKind.FeedbackAbnormal => "馈电异常",
        AlarmKind.Disconnected => "断线",
        AlarmKind.StationPowerCut => "基站断电",
        AlarmKind.StationUnreachable => "基站不通",
        AlarmKind.Calibrating => "标校",
        AlarmKind.OverRange => "超量程",
        AlarmKind.UpperWarning => "超上限预警",
        AlarmKind.LowerWarning => "超下限预警",
        _ => $"未知异常类型 {(int)kind:D3}",
    };

    /// <summary>The code as written in YCBJ files, e.g. "001".</summary>
    public static string ToCode(this AlarmKind kind) => ((int)kind).ToString("D3", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"模拟量" or "开关量".</summary>
    public static string ToDisplayName(this PointValueKind kind) => kind switch
    {
        PointValueKind.Analog => "模拟量",
        PointValueKind.Switch => "开关量",
        _ => $"未知数值类型 {(int)kind}",
    };
}
