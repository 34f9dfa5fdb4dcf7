namespace Orleans.Segments.Hosting;

/// <summary>
/// A grain state kept in two records: a snapshot, and a log of the changes made since it was written. A change
/// writes the short log instead of the whole state; once the log has grown to about the square root of the
/// state's size, the snapshot is rewritten and the log emptied. A state of n entries built one change at a time
/// thus costs O(n √n) to persist instead of O(n²).
/// </summary>
/// <remarks>
/// Why replaying is safe after any crash: a change sets one key's value outright (last one wins), so replaying
/// the log onto a snapshot that already holds some or all of it gives the same state. A snapshot is written
/// before the log is emptied, so no change is ever only in memory once acknowledged.
/// </remarks>
internal sealed class SnapshotWithLog<TState, TChange>(
    IPersistentState<TState> snapshot,
    IPersistentState<ChangeLog<TChange>> log,
    Action<TState, TChange> apply,
    Func<TState, int> size)
    where TState : class, new()
{
    /// <summary>The log is never compacted below this many changes: small states write their log a few times.</summary>
    private const int MinLogLength = 16;

    private bool replayed;

    /// <summary>True after a failed write whose stored outcome could not be re-read: memory may hold an unwritten change.</summary>
    private bool stale;

    /// <summary>The state with every logged change applied, re-read first if a failed write left it in doubt.</summary>
    public async ValueTask<TState> Current()
    {
        if (stale)
        {
            await Reload();
            stale = false;
        }

        if (!replayed)
        {
            foreach (var change in log.State.Changes) apply(snapshot.State, change);
            replayed = true;
        }

        return snapshot.State;
    }

    /// <summary>
    /// Applies <paramref name="change"/> and makes it durable; throws if it could not be written, with the state
    /// re-read from storage so that an unwritten change is never taken for a written one.
    /// </summary>
    public async Task Commit(TChange change)
    {
        var state = await Current();
        apply(state, change);
        log.State.Changes.Add(change);
        await Guarded(log.State.Changes.Count >= Math.Max(MinLogLength, (int)Math.Sqrt(2.0 * size(state))) ? WriteSnapshot : log.WriteStateAsync);
    }

    /// <summary>Writes the whole state (after changes made to <see cref="Current"/> directly) and empties the log.</summary>
    public Task Compact() => Guarded(WriteSnapshot);

    /// <summary>Deletes both records.</summary>
    public Task Clear() => Guarded(async () =>
    {
        // Why: the log first; a snapshot without its log is an older, consistent state, the reverse is not.
        if (log.RecordExists) await log.ClearStateAsync();
        if (snapshot.RecordExists) await snapshot.ClearStateAsync();
        log.State = new ChangeLog<TChange>();
        snapshot.State = new TState();
    });

    private async Task WriteSnapshot()
    {
        await snapshot.WriteStateAsync();
        if (log.State.Changes.Count == 0) return;
        log.State.Changes.Clear();

        // Why: an empty log written, not cleared, keeps the record's version and stays one write.
        await log.WriteStateAsync();
    }

    private async Task Guarded(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch
        {
            try
            {
                await Reload();
            }
            catch
            {
                // Why: the stored records could not be read either; until they are, nothing is decided on memory.
                stale = true;
            }

            throw;
        }
    }

    private async Task Reload()
    {
        // Why: fresh objects first, because reading a record that was never written leaves State as it is.
        snapshot.State = new TState();
        log.State = new ChangeLog<TChange>();
        replayed = false;
        await snapshot.ReadStateAsync();
        await log.ReadStateAsync();
    }
}
