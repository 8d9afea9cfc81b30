using System.Diagnostics;
using System.Globalization;
using ModelCompiler;
using ModelCompiler.Data;
using ModelCompiler.Samples.FashionMnist;
using ModelCompiler.Training;

var options = TrainingOptions.Parse(args, out string? error);
if (options is null)
{
    if (string.IsNullOrEmpty(error))
    {
        // --help: the usage is the requested output.
        Console.WriteLine(TrainingOptions.Usage);
        return 0;
    }

    Console.Error.WriteLine(error);
    Console.Error.WriteLine(TrainingOptions.Usage);
    return 2;
}

string directory = options.DataDirectory ?? FashionMnistFiles.DebianDirectory;
if (!Directory.Exists(directory))
{
    Console.Error.WriteLine($"Fashion-MNIST was not found: the folder '{directory}' does not exist.");
    Console.Error.WriteLine("Install Debian's package with 'sudo apt-get install dataset-fashion-mnist', or pass --data DIR with the");
    Console.Error.WriteLine("four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, gzip-compressed or not).");
    return 2;
}

MnistDataset data;
try
{
    data = FashionMnistFiles.Load(directory);
}
catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"Could not load Fashion-MNIST from '{directory}': {exception.Message}");
    return 2;
}

if (data.Train.Height != 28 || data.Train.Width != 28 || data.Test.Height != 28 || data.Test.Width != 28)
{
    Console.Error.WriteLine(
        $"The images in '{directory}' are {data.Train.Height}x{data.Train.Width} (training) and {data.Test.Height}x{data.Test.Width} (test); the sample networks need 28x28 images, as in Fashion-MNIST.");
    return 2;
}

if (options.BatchSize > data.Train.Count)
{
    Console.Error.WriteLine($"--batch {options.BatchSize} is larger than the {data.Train.Count} training images; use at most {data.Train.Count}.");
    return 2;
}

// Normalize with the training set's mean and std, and apply the same statistics to the test set.
ChannelStatistics statistics;
try
{
    statistics = Normalization.Compute(data.Train.Images, data.Train.Count, 1, data.Train.Height, data.Train.Width);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine($"Could not normalize the training images from '{directory}': {exception.Message}");
    return 2;
}

Normalization.Apply(data.Train.Images, data.Train.Count, 1, data.Train.Height, data.Train.Width, statistics);
Normalization.Apply(data.Test.Images, data.Test.Count, 1, data.Test.Height, data.Test.Width, statistics);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Fashion-MNIST from {directory}: {data.Train.Count} training and {data.Test.Count} test images, mean {statistics.Means[0]:F4}, std {statistics.StandardDeviations[0]:F4}"));

ICompiledModel model = options.Model == "lenet5-bn" ? new LeNet5BatchNorm() : new LeNet5();
model.InitializeParameters(options.Seed);
var optimizer = new SgdMomentum(options.LearningRate, options.Momentum);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{model.GetType().Name}: {model.Parameters.Length} parameters; batch {options.BatchSize}, SGD lr {options.LearningRate} momentum {options.Momentum}, seed {options.Seed}"));

var trainer = new EpochRunner(model, data, options.BatchSize, new DeterministicRandom(options.Seed));
var total = Stopwatch.StartNew();
for (int epoch = 1; epoch <= options.Epochs; epoch++)
{
    var watch = Stopwatch.StartNew();
    double loss = trainer.Train(optimizer);
    double seconds = watch.Elapsed.TotalSeconds;
    double accuracy = trainer.TestAccuracy();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"epoch {epoch}: train loss {loss:F4}, test accuracy {accuracy:P2}, {data.Train.Count / seconds:F0} images/s, epoch {seconds:F1} s, elapsed {total.Elapsed.TotalSeconds:F1} s"));
}

return 0;
