// Public surface of probability calibration: fit, apply, store and restore a calibrator.
export { CalibrationError } from './calibration-error.js';
export {
  CALIBRATION_FORMAT,
  CALIBRATION_FORMAT_VERSION,
  type CalibrationMethod,
  type Calibrator,
  type CalibratorJSON,
  calibratorFromJSON,
  fitCalibrator,
} from './calibrator.js';
