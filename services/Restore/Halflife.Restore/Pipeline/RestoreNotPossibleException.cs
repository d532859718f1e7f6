namespace Halflife.Restore.Pipeline;

/// <summary>
/// An instance that can never be restored as it is (compressed, colour, not an image): a permanent failure, so a
/// consumer must not retry it.
/// </summary>
public sealed class RestoreNotPossibleException(string message, Exception? inner = null) : Exception(message, inner);
