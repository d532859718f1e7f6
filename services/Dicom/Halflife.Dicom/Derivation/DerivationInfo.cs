namespace Halflife.Dicom.Derivation;

/// <summary>
/// How a derived object was made. <see cref="Identity"/> names the process exactly (method, version, parameters):
/// it is hashed with the source UIDs into the new Series and SOP Instance UIDs, so the same source through the same
/// process always gives the same object, and a different process a different one.
/// </summary>
/// <param name="Description">Derivation Description (0008,2111): what was done, in words, with its parameters.</param>
/// <param name="SeriesDescriptionSuffix">appended to the source's Series Description, e.g. "[denoised]".</param>
/// <param name="Identity">the parts that identify the process (never empty).</param>
public sealed record DerivationInfo(string Description, string SeriesDescriptionSuffix, IReadOnlyList<string> Identity);
