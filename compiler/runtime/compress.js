/* compress: in progress */
