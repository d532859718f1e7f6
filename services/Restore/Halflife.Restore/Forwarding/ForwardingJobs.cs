using System.Diagnostics;
using Halflife.Restore.Derived;

namespace Halflife.Restore.Forwarding;

public static class ForwardingJobs
{
    /// <summary>A job to send <paramref name="derived"/> to the configured PACS now, continuing the current trace.</summary>
    public static ForwardingJob For(DerivedInstance derived, ForwardingOptions destination, DateTime now) => new()
    {
        Id = Guid.CreateVersion7(), DerivedInstanceId = derived.Id, SopInstanceUid = derived.DerivedSopInstanceUid,
        BlobKey = derived.BlobKey, Host = destination.Host, Port = destination.Port, CalledAeTitle = destination.CalledAeTitle,
        CallingAeTitle = destination.CallingAeTitle, Status = ForwardingStatus.Pending, NextAttemptAt = now,
        TraceParent = Activity.Current?.Id, CreatedAt = now,
    };
}
