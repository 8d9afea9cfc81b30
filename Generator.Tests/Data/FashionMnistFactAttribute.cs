using ModelCompiler.Data;
using Xunit;

namespace ModelCompiler.Tests.Data;

/// <summary>
/// A fact that the runner reports as skipped, with the reason, when the Fashion-MNIST files of Debian's
/// dataset-fashion-mnist package are not installed.
/// </summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        if (!Directory.Exists(FashionMnistFiles.DebianDirectory))
        {
            Skip = $"{FashionMnistFiles.DebianDirectory} not found; install the Debian package dataset-fashion-mnist to run this test.";
        }
    }
}
