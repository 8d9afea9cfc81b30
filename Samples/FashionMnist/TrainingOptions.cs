using System.Globalization;

namespace ModelCompiler.Samples.FashionMnist;

/// <summary>Command-line settings of the training run, with their defaults.</summary>
internal sealed class TrainingOptions
{
    public string? DataDirectory { get; private set; }

    public int Epochs { get; private set; } = 3;

    public int BatchSize { get; private set; } = 64;

    public float LearningRate { get; private set; } = 0.01f;

    public float Momentum { get; private set; } = 0.9f;

    public int Seed { get; private set; } = 1;

    /// <summary>The network to train: "lenet5" or "lenet5-bn".</summary>
    public string Model { get; private set; } = "lenet5";

    public const string Usage =
        "Usage: FashionMnist [--model NAME] [--data DIR] [--epochs N] [--batch N] [--lr X] [--momentum X] [--seed N]\n" +
        "  --model NAME   lenet5 (default) or lenet5-bn, the same network with BatchNorm after each convolution\n" +
        "  --data DIR     folder with train-images-idx3-ubyte[.gz] and the three other Fashion-MNIST files\n" +
        "                 (default: " + ModelCompiler.Data.FashionMnistFiles.DebianDirectory + ", from Debian's dataset-fashion-mnist)\n" +
        "  --epochs N     passes over the 60,000 training images (default 3)\n" +
        "  --batch N      examples per training step (default 64)\n" +
        "  --lr X         SGD learning rate (default 0.01)\n" +
        "  --momentum X   SGD momentum (default 0.9)\n" +
        "  --seed N       seed of the weight initialization and the shuffling (default 1)";

    /// <summary>What each option accepts, for error messages.</summary>
    private static readonly Dictionary<string, string> Requirements = new()
    {
        ["--data"] = "a folder",
        ["--model"] = "lenet5 or lenet5-bn",
        ["--epochs"] = "an integer of at least 1",
        ["--batch"] = "an integer of at least 1",
        ["--seed"] = "an integer",
        ["--lr"] = "a number greater than 0",
        ["--momentum"] = "a number from 0 up to, but not including, 1",
    };

    /// <summary>Parses the arguments; returns null and writes the reason to <paramref name="error"/> when they are invalid.</summary>
    public static TrainingOptions? Parse(string[] args, out string? error)
    {
        var options = new TrainingOptions();
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name is "-h" or "--help")
            {
                error = string.Empty;
                return null;
            }

            if (!Requirements.TryGetValue(name, out string? requirement))
            {
                error = $"Unknown option '{name}'.";
                return null;
            }

            if (i + 1 >= args.Length)
            {
                error = $"Option {name} needs a value: {requirement}.";
                return null;
            }

            string value = args[++i];
            bool valid = name switch
            {
                "--data" => Set(() => options.DataDirectory = value),
                "--model" => value is "lenet5" or "lenet5-bn" && Set(() => options.Model = value),
                "--epochs" => TryPositive(value, v => options.Epochs = v),
                "--batch" => TryPositive(value, v => options.BatchSize = v),
                "--seed" => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed) && Set(() => options.Seed = seed),
                "--lr" => TryPositiveSingle(value, v => options.LearningRate = v),
                _ => float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float m) && m >= 0 && m < 1 && Set(() => options.Momentum = m),
            };
            if (!valid)
            {
                error = $"Invalid value '{value}' for {name}: expected {requirement}.";
                return null;
            }
        }

        return options;
    }

    private static bool Set(Action assign)
    {
        assign();
        return true;
    }

    private static bool TryPositive(string value, Action<int> assign)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) || parsed < 1)
        {
            return false;
        }

        assign(parsed);
        return true;
    }

    private static bool TryPositiveSingle(string value, Action<float> assign)
    {
        if (!float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float parsed) || !(parsed > 0) || float.IsInfinity(parsed))
        {
            return false;
        }

        assign(parsed);
        return true;
    }
}
