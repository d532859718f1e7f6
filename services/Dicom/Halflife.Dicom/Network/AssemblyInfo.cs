using System.Runtime.CompilerServices;

// The codec and assembler tests drive internal types directly.
[assembly: InternalsVisibleTo("Halflife.Dicom.Network.Tests")]
