/** jstat ships no types; this declares only the part the soak uses. */
declare module 'jstat' {
  const jStat: {
    studentt: {
      /** Quantile of Student's t with `dof` degrees of freedom. */
      inv(p: number, dof: number): number;
    };
  };
  export default jStat;
}
