namespace Halflife.Evaluation;

/// <summary>The scores of one method at one count level, summarised as in training/restore/evaluate.py.</summary>
public sealed class MethodScores(string method)
{
    private readonly List<double> _psnr = [], _ssim = [], _recovery = [], _visibleRecovery = [], _seconds = [];

    public string Method { get; } = method;

    public void Add(double psnr, double ssim, IEnumerable<double> recoveries, double seconds) =>
        Add(psnr, ssim, recoveries.Select(r => new LesionRecovery(r, null)), seconds);

    public void Add(double psnr, double ssim, IEnumerable<LesionRecovery> recoveries, double seconds)
    {
        _psnr.Add(psnr);
        _ssim.Add(ssim);
        foreach (var r in recoveries)
        {
            _recovery.Add(r.Recovery);
            if (r.Visible == true) _visibleRecovery.Add(r.Recovery);
            VisibilityKnown |= r.Visible is not null;
        }
        _seconds.Add(seconds);
    }

    public int Views => _psnr.Count;
    public double Psnr => _psnr.Average();
    public double Ssim => _ssim.Average();
    public int Lesions => _recovery.Count;
    public double RecoveryMean => Lesions == 0 ? double.NaN : _recovery.Average();
    public double RecoveryMedian => Lesions == 0 ? double.NaN : Percentile(50);
    public double RecoveryP10 => Lesions == 0 ? double.NaN : Percentile(10);
    public double RecoveryP5 => Lesions == 0 ? double.NaN : Percentile(5);
    public double RecoveryMin => Lesions == 0 ? double.NaN : _recovery.Min();
    public int LesionsBelowHalf => _recovery.Count(r => r < 0.5);
    /// <summary>Lesions below the 0.9 recovery target.</summary>
    public int LesionsBelowTarget => _recovery.Count(r => r < 0.9);
    public double SecondsPerView => _seconds.Average();
    /// <summary>Whether the views said which lesions their input could show (Rose's criterion).</summary>
    public bool VisibilityKnown { get; private set; }
    /// <summary>Lesions the input could show (contrast-to-noise ratio of at least 5 in its expected counts).</summary>
    public int VisibleLesions => _visibleRecovery.Count;
    public int VisibleBelowHalf => _visibleRecovery.Count(r => r < 0.5);
    public int VisibleBelowTarget => _visibleRecovery.Count(r => r < 0.9);

    private double Percentile(double percent) =>
        ImageMetrics.Percentile(_recovery.Select(r => (float)r).ToArray(), percent);
}
