// Input a person can correct (a file, an argument, a directory): the command line reports it in
// one line and exits 2, without a stack. Internal errors are anything else.

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
