namespace Halflife.Denoise.Pipeline;

/// <summary>
/// An instance that can never be denoised as it is (compressed with a syntax we cannot decode, colour, no pixels):
/// a permanent failure, so the consumer logs it, marks the message processed and does not retry.
/// </summary>
public sealed class DenoiseNotPossibleException(string message, Exception? inner = null) : Exception(message, inner);
