// nn.data: what a program reaches as tf.data.* (a namespace module, so a bundler keeps only what
// an app uses: an app without csv() does not ship the CSV reader).
export { array, generator, zip, Dataset } from './data';
export { csv, CSVDataset } from './data-csv';
