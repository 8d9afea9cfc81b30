using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ModelCompiler.Generator.Model
{
    /// <summary>A source location as plain data (file, span, line span), turned back into a <see cref="Location"/> only when reported.</summary>
    internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        /// <summary>
        /// Returns a source location in the tree of <paramref name="compilation"/> with this path and a span that fits it,
        /// or a file location with the recorded line span when there is none.
        /// </summary>
        public Location ToLocation(Compilation compilation)
        {
            foreach (var tree in compilation.SyntaxTrees)
            {
                if (tree.FilePath == FilePath && Span.End <= tree.Length)
                {
                    return Location.Create(tree, Span);
                }
            }

            return Location.Create(FilePath, Span, LineSpan);
        }

        public static LocationInfo? From(SyntaxNode? node) => node is null ? null : From(node.GetLocation());

        public static LocationInfo? From(SyntaxToken token) => From(token.GetLocation());

        public static LocationInfo? From(Location location)
        {
            if (location.SourceTree is null)
            {
                return null;
            }

            return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
        }
    }
}
