namespace Halflife.ServiceDefaults.Persistence.Outbox;

/// <summary>Wakes the outbox dispatcher right after a commit, so events do not wait for the next poll.</summary>
public sealed class OutboxSignal<TContext>
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            if (_signal.CurrentCount == 0) _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up drains everything pending.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
